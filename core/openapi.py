"""The flask-smorest ``Api`` with RFC 7807 errors and bearer-token security in the document."""

from __future__ import annotations

from flask_smorest import Api


class ProblemApi(Api):
    def handle_http_exception(self, error):
        # Imported here: errors renders templates and needs Flask-Babel, not the reverse.
        from core.errors import handle_http_exception

        return handle_http_exception(error)

    def init_app(self, app, *, spec_kwargs=None):
        super().init_app(app, spec_kwargs=spec_kwargs)
        self.spec.components.security_scheme(
            "bearerAuth", {"type": "http", "scheme": "bearer", "description": "A personal API token from POST /api/v1/auth/tokens."}
        )
