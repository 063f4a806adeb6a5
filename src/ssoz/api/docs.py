"""The API's interactive documentation: Swagger UI from django-ninja's own static files (no
CDN), on a page of ours whose scripts carry the site's CSP nonce, so that it works under the
same Content-Security-Policy as every other page."""

from ninja.openapi.docs import Swagger


class Docs(Swagger):
    template = "api/docs.html"
    default_settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        # Swagger UI would otherwise send the document to an outside validator.
        "validatorUrl": None,
    }
