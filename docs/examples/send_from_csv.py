#!/usr/bin/env python3
"""Fill in and send an SSOZ report from a CSV file, through the SSOZ API.

An example for the IT staff of a hospital whose figures live in its own systems (HIS, ERP,
HR): export them as a CSV of cell codes and values, and let this script do what a clerk
does on the report page. It needs only Python's standard library.

    SSOZ_TOKEN=ssoz_... python3 send_from_csv.py --url https://ssoz.example.gov.pl \\
        --form MZ-88 --year 2025 values.csv [--send] [--pdf potwierdzenie.pdf]

The CSV has two columns, the cell code and its value, as in the form's template:

    ref,value
    D1.W02.K2,124
    D1.W02.K4,3
    explanation:R_D1_FTE,"Two physicians on long leave"

A row "explanation:<rule>" explains a warning of that rule. The script:
1. finds the form's obligation for the year and the entity's collective report, creating
   it on the first run;
2. writes the values with the report's revision, so a value a colleague changed meanwhile
   on the page is not overwritten but reported as a conflict;
3. verifies the report and prints every error and warning with its message;
4. with --send, sends it, and with --pdf, saves the sent version's PDF (the proof of filing).

Every write carries an Idempotency-Key, so that if the network fails and the script is run
again, nothing is written twice. Exit status: 0 done, 1 the report has errors or cannot be
sent, 2 a conflict or another refusal (the message says which).
"""

import argparse
import csv
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

EXPLANATION = "explanation:"


class Refused(Exception):
    """An answer of the API other than success: its status and its JSON body."""

    def __init__(self, status: int, body: dict) -> None:
        super().__init__(body.get("message") or f"HTTP {status}")
        self.status = status
        self.body = body


class Ssoz:
    def __init__(self, url: str, token: str) -> None:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise SystemExit("--url must be an http:// or https:// address")
        self.base = url.rstrip("/") + "/api/v1"
        self.token = token

    def call(self, method: str, path: str, body: object = None, **query: object) -> object:
        address = self.base + path
        if query:
            address += "?" + urllib.parse.urlencode(
                {key: value for key, value in query.items() if value is not None}
            )
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": "pl"}
        data = None
        if method != "GET":
            headers["Idempotency-Key"] = str(uuid.uuid4())
            headers["Content-Type"] = "application/json"
            data = json.dumps(body if body is not None else {}).encode()
        request = urllib.request.Request(  # noqa: S310 (http or https, checked above)
            address, data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
                content = answer.read()
                kind = answer.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            content = error.read()
            try:
                raise Refused(error.code, json.loads(content)) from None
            except json.JSONDecodeError:
                raise Refused(error.code, {"message": content[:200].decode()}) from None
        return json.loads(content) if kind.startswith("application/json") else content


def read_csv(path: str) -> tuple[dict[str, str], dict[str, str]]:
    values: dict[str, str] = {}
    explanations: dict[str, str] = {}
    with open(path, newline="", encoding="utf-8-sig") as file:
        for row in csv.reader(file):
            if len(row) < 2 or not row[0].strip() or row[0].strip().lower() == "ref":
                continue
            ref, value = row[0].strip(), row[1].strip()
            if ref.startswith(EXPLANATION):
                explanations[ref[len(EXPLANATION) :]] = value
            else:
                values[ref] = value
    return values, explanations


def collective_report(ssoz: Ssoz, form: str, year: int) -> int:
    obligations = ssoz.call("GET", "/obligations", form=form, year=year)["items"]
    if not obligations:
        raise SystemExit(f"No obligation to send {form} for {year}.")
    obligation = obligations[0]
    reports = ssoz.call("GET", "/reports", form=form, year=year, limit=500)["items"]
    for report in reports:
        if report["obligation"] == obligation["id"] and report["unit"] is None:
            return report["id"]
    created = ssoz.call("POST", f"/obligations/{obligation['id']}/reports", {"collective": True})
    return created[0]["id"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv")
    parser.add_argument("--url", required=True)
    parser.add_argument("--form", required=True)
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--send", action="store_true")
    parser.add_argument("--pdf")
    arguments = parser.parse_args()
    ssoz = Ssoz(arguments.url, os.environ["SSOZ_TOKEN"])
    values, explanations = read_csv(arguments.csv)
    try:
        report_id = collective_report(ssoz, arguments.form, arguments.year)
        report = ssoz.call("GET", f"/reports/{report_id}")
        print(f"Report {report_id} ({arguments.form} {report['period']}): {report['status']}")
        saved = ssoz.call(
            "PATCH",
            f"/reports/{report_id}/values",
            {"revision": report["revision"], "values": values, "explanations": explanations},
        )
        print(f"Saved {len(saved['saved'])} values (revision {saved['revision']}).")
        check = ssoz.call("POST", f"/reports/{report_id}/verify")
        for kind in ("errors", "warnings"):
            for finding in check[kind]:
                print(f"{kind[:-1]}: [{finding['rule'] or ', '.join(finding['fields'])}] "
                      f"{finding['message']}")  # fmt: skip
        if check["errors"]:
            print(f"{len(check['errors'])} errors: correct them before sending.")
            return 1
        if arguments.send:
            sent = ssoz.call("POST", f"/reports/{report_id}/send")
            version = sent["version"]
            print(f"Sent as version {version['number']}, checksum {version['checksum']}.")
            if arguments.pdf:
                pdf = ssoz.call("GET", version["pdf"].removeprefix("/api/v1"))
                with open(arguments.pdf, "wb") as file:
                    file.write(pdf)
                print(f"Proof of filing saved to {arguments.pdf}.")
    except Refused as refusal:
        print(f"Refused ({refusal.status} {refusal.body.get('error')}): {refusal}", file=sys.stderr)
        for ref, conflict in refusal.body.get("conflicts", {}).items():
            print(f"  {ref}: {conflict['message']}", file=sys.stderr)
        return 1 if refusal.status == 409 and refusal.body.get("error") == "refused" else 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
