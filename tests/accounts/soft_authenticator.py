"""A software WebAuthn authenticator for the service tests (issue 14 §5): an ECDSA P-256 key, "none"
attestation, user present and verified, a sign counter the test can set. It answers the options kouki hands
the browser with the JSON a browser would send back (PublicKeyCredential.toJSON form, base64url)."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url

UP, UV, AT = 0x01, 0x04, 0x40


@dataclass
class SoftAuthenticator:
    origin: str = "http://localhost:8000"
    counter: int = 0
    user_verified: bool = True
    credential_id: bytes = field(default_factory=lambda: os.urandom(32))
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))

    @property
    def id(self) -> str:
        return bytes_to_base64url(self.credential_id)

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return bytes(cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                                  -3: numbers.y.to_bytes(32, "big")}))

    def _client_data(self, kind: str, options: dict[str, object]) -> bytes:
        return json.dumps({"type": kind, "challenge": options["challenge"], "origin": self.origin,
                           "crossOrigin": False}).encode()

    def _flags(self, extra: int = 0) -> bytes:
        return bytes([UP | (UV if self.user_verified else 0) | extra])

    def create(self, options_json: str, *, rp_id: str | None = None) -> str:
        options = json.loads(options_json)
        rp_hash = hashlib.sha256((rp_id or options["rp"]["id"]).encode()).digest()
        auth_data = (rp_hash + self._flags(AT) + self.counter.to_bytes(4, "big") + bytes(16)
                     + len(self.credential_id).to_bytes(2, "big") + self.credential_id + self._cose_key())
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return json.dumps({
            "id": self.id, "rawId": self.id, "type": "public-key", "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {"clientDataJSON": bytes_to_base64url(self._client_data("webauthn.create", options)),
                         "attestationObject": bytes_to_base64url(attestation), "transports": ["internal"]},
        })

    def get(self, options_json: str, *, counter: int | None = None, rp_id: str | None = None) -> str:
        """An assertion; the counter goes up by one unless `counter` is given."""
        options = json.loads(options_json)
        self.counter = self.counter + 1 if counter is None else counter
        rp_hash = hashlib.sha256((rp_id or options["rpId"]).encode()).digest()
        auth_data = rp_hash + self._flags() + self.counter.to_bytes(4, "big")
        client_data = self._client_data("webauthn.get", options)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return json.dumps({
            "id": self.id, "rawId": self.id, "type": "public-key", "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
            "response": {"clientDataJSON": bytes_to_base64url(client_data),
                         "authenticatorData": bytes_to_base64url(auth_data),
                         "signature": bytes_to_base64url(signature), "userHandle": None},
        })
