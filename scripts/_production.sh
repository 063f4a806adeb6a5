# Sourced by ./scripts/serve and ./scripts/cluster: the production profile's environment.
# A random secret key kept in var/secret-key when none is given; on a loopback address, the
# loopback host names and no HTTPS redirect; JSON logs with a line per request; prepared
# statements.
ssoz_production_environment() {
    export DEBUG=0
    address="${SSOZ_ADDRESS:-127.0.0.1:8000}"
    var_dir="${SSOZ_VAR_DIR:-$ssoz_root/var}"
    mkdir -p "$var_dir"
    if [ -z "${SECRET_KEY:-}" ]; then
        if [ ! -s "$var_dir/secret-key" ]; then
            (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))' \
                >"$var_dir/secret-key")
        fi
        SECRET_KEY="$(cat "$var_dir/secret-key")"
        export SECRET_KEY
    fi
    case "$address" in
        127.0.0.1:* | localhost:* | \[::1\]:*)
            export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost,[::1]}"
            export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-0}"
            export SITE_URL="${SITE_URL:-http://$address}"
            ;;
    esac
    # The log as a collector reads it: JSON lines, a line for each request, each with its id.
    export LOG_FORMAT="${LOG_FORMAT:-json}" ACCESS_LOG="${ACCESS_LOG:-1}"
    # Repeated queries are prepared once per connection (turn off behind a transaction pooler).
    export DATABASE_PREPARED_STATEMENTS="${DATABASE_PREPARED_STATEMENTS:-1}"
    .venv/bin/python manage.py migrate --no-input
    .venv/bin/python manage.py collectstatic --no-input --verbosity 0
}

# ssoz_gunicorn ADDRESS WORKERS: the command of one application server, in the array
# `gunicorn`, for the caller to run (in the background its process is then `$!` itself).
ssoz_gunicorn() {
    gunicorn=(
        .venv/bin/gunicorn ssoz.wsgi:application
        --bind "$1"
        --workers "$2"
        --worker-class sync
        --max-requests 20000 --max-requests-jitter 2000
        --graceful-timeout 30 --timeout 60
        --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
        # One fixed control socket per user would be shared, and taken over, by every server
        # on the machine (./scripts/cluster runs several); they are driven by signals instead.
        --no-control-socket
    )
}
