"""A small OpenID Connect provider for the tests, served over HTTP on 127.0.0.1 by a thread.

It does what the city's provider does in the authorization-code flow: discovery, an authorize
endpoint (the person's login at the provider is simulated by a ``login_as`` parameter), a token
endpoint that checks the client's secret, the redirect URI, PKCE (S256) and that a code serves
once, and a JWKS endpoint; id_tokens are RS256-signed. ``tamper`` makes it misbehave on purpose:
``"signature"`` signs with a key it does not publish, ``"nonce"`` returns another nonce,
``"audience"`` issues the token for another client.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.client
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

# How often the serving thread looks for a shutdown request: ``serve_forever``'s default, half a
# second, was the wait of every test's teardown (``__exit__``).
POLL_SECONDS = 0.05


@functools.cache
def _keys() -> tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey]:
    """The provider's signing key and the key it does not publish (``tamper="signature"``): two
    RSA-2048 keys, made once per test process (each a tenth of a second or more); every provider
    still has its own port, codes and state."""
    signing = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return signing, stranger


class LocalProvider:
    def __init__(self, client_id: str = "cqdt-test", client_secret: str = "s3cret-test") -> None:  # noqa: S107 - test provider
        self.client_id, self.client_secret = client_id, client_secret
        self.key, self.stranger_key = _keys()
        self.kid = "city-1"
        self.codes: dict[str, dict[str, Any]] = {}
        self.tamper = ""
        self.token_requests = 0
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: dict[str, Any], headers: dict | None = None):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._answer(200, provider.discovery())
                elif url.path == "/jwks":
                    self._answer(200, provider.jwks())
                elif url.path == "/authorize":
                    status, body, headers = provider.authorize(query)
                    self._answer(status, body, headers)
                else:
                    self._answer(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path == "/token":
                    status, body = provider.token(form)
                    self._answer(status, body, {"Cache-Control": "no-store"})
                else:
                    self._answer(404, {"error": "not_found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, args=(POLL_SECONDS,), daemon=True
        )

    def __enter__(self) -> LocalProvider:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    def settings(self) -> dict[str, str]:
        """The Django settings (the CQDT_OIDC_* variables) pointing at this provider."""
        return {
            "CQDT_OIDC_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
        }

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [jwk | {"kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def authorize(self, q: dict[str, str]) -> tuple[int, dict, dict]:
        if q.get("client_id") != self.client_id or q.get("response_type") != "code":
            return 400, {"error": "unauthorized_client"}, {}
        if "openid" not in q.get("scope", "").split() or not q.get("redirect_uri"):
            return 400, {"error": "invalid_request"}, {}
        code = secrets.token_urlsafe(24)
        claims = json.loads(q.get("claims_json") or "{}")
        self.codes[code] = {
            "sub": q["login_as"],
            "nonce": q.get("nonce"),
            "redirect_uri": q["redirect_uri"],
            "challenge": q.get("code_challenge"),
            "claims": claims,
        }
        target = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q.get("state", "")})
        return 302, {}, {"Location": target}

    def token(self, form: dict[str, str]) -> tuple[int, dict]:
        self.token_requests += 1
        if (form.get("client_id"), form.get("client_secret")) != (
            self.client_id,
            self.client_secret,
        ):
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        if grant["challenge"] and challenge.decode() != grant["challenge"]:
            return 400, {"error": "invalid_grant"}
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant["sub"],
            "aud": "someone-else" if self.tamper == "audience" else self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": "not-the-nonce" if self.tamper == "nonce" else grant["nonce"],
        } | grant["claims"]
        key = self.stranger_key if self.tamper == "signature" else self.key
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})
        return 200, {
            "access_token": secrets.token_urlsafe(24),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def log_in(self, authorize_url: str, sub: str, **claims: Any) -> str:
        """The person logs in at the provider: GET the authorize URL (over HTTP) and return where
        the provider sends the browser back (the relying party's callback with code and state)."""
        url = urlsplit(authorize_url)
        extra = {"login_as": sub, "claims_json": json.dumps(claims)}
        conn = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
        try:
            conn.request("GET", f"{url.path}?{url.query}&{urlencode(extra)}")
            response = conn.getresponse()
            response.read()
            assert response.status == 302, response.status
            return response.getheader("Location") or ""
        finally:
            conn.close()
