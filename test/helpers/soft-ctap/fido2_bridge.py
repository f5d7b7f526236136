#!/usr/bin/env python3
"""Drives a simulated key with Yubico's python-fido2 (Debian python3-fido2 0.9.1), as an independent client.

The key is reached over 127.0.0.1 (see socket-server.ts): python-fido2's own CTAPHID framing
(fido2.hid.CtapHidDevice, a fido2.ctap.CtapDevice) runs over a socket "HID connection", and its own
Ctap2 / ClientPin / CredentialManagement classes do the rest, including its strict canonical-CBOR check on
every reply. Prints one JSON object on stdout.

usage: fido2_bridge.py 127.0.0.1:PORT COMMAND [ARGS...]
  info
  list PIN
  delete PIN CRED_ID_B64URL
  update PIN CRED_ID_B64URL NAME DISPLAY_NAME
  token PIN                      (only asks for a token: wrong-PIN / blocked tests)
  retries
  make PIN RP_ID USER_NAME       (makeCredential with rk=true)
  ping SIZE
"""

import base64
import hashlib
import json
import os
import socket
import sys

from fido2.ctap import CtapError
from fido2.ctap2 import ClientPin, CredentialManagement, Ctap2
from fido2.hid import CtapHidDevice
from fido2.hid.base import CtapHidConnection, HidDescriptor

REPORT = 64


class SocketConnection(CtapHidConnection):
    """A CTAP HID connection whose reports travel over a loopback TCP socket."""

    def __init__(self, host, port):
        if host != "127.0.0.1":
            raise ValueError("only 127.0.0.1 is allowed")
        self.sock = socket.create_connection((host, port), timeout=10)
        self.sock.sendall(b"O")

    def write_packet(self, data):
        if len(data) != REPORT:
            raise ValueError("report of %d bytes" % len(data))
        self.sock.sendall(data)

    def read_packet(self):
        buf = b""
        while len(buf) < REPORT:
            chunk = self.sock.recv(REPORT - len(buf))
            if not chunk:
                raise OSError("device removed")
            buf += chunk
        return buf

    def close(self):
        self.sock.close()


class SocketCtapDevice(CtapHidDevice):
    """python-fido2's CTAPHID implementation over SocketConnection."""

    def __init__(self, address):
        host, port = address.rsplit(":", 1)
        descriptor = HidDescriptor(address, 0, 0, REPORT, REPORT)
        super().__init__(descriptor, SocketConnection(host, int(port)))

    @classmethod
    def list_devices(cls):
        return iter(())


def b64u(data):
    return base64.urlsafe_b64encode(bytes(data)).rstrip(b"=").decode()


def unb64u(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def credman(ctap, pin):
    client_pin = ClientPin(ctap)
    token = client_pin.get_pin_token(pin, ClientPin.PERMISSION.CREDENTIAL_MGMT)
    return CredentialManagement(ctap, client_pin.protocol, token)


def enumerate_rps(cm):
    # CTAP 2.1 §6.8.3: enumerateRPsBegin answers CTAP2_ERR_NO_CREDENTIALS on an empty key. python-fido2 0.9.1's
    # enumerate_rps() lets that error through (its enumerate_creds() catches it), so treat it as "none" here.
    try:
        return cm.enumerate_rps()
    except CtapError as e:
        if e.code == CtapError.ERR.NO_CREDENTIALS:
            return []
        raise


def list_all(cm):
    R = CredentialManagement.RESULT
    meta = cm.get_metadata()
    out = []
    for rp in enumerate_rps(cm):
        for cred in cm.enumerate_creds(rp[R.RP_ID_HASH]):
            user = cred[R.USER]
            out.append(
                {
                    "rpId": rp[R.RP]["id"],
                    "credentialId": b64u(cred[R.CREDENTIAL_ID]["id"]),
                    "userHandle": b64u(user["id"]),
                    "userName": user.get("name"),
                    "userDisplayName": user.get("displayName"),
                    "algorithm": cred[R.PUBLIC_KEY][3],
                }
            )
    return {
        "existing": meta[R.EXISTING_CRED_COUNT],
        "remaining": meta[R.MAX_REMAINING_COUNT],
        "credentials": out,
    }


def find(cm, cred_id):
    R = CredentialManagement.RESULT
    for rp in enumerate_rps(cm):
        for cred in cm.enumerate_creds(rp[R.RP_ID_HASH]):
            if cred[R.CREDENTIAL_ID]["id"] == cred_id:
                return cred
    raise LookupError("credential not found")


def run(address, cmd, args):
    dev = SocketCtapDevice(address)
    try:
        if cmd == "ping":
            data = os.urandom(int(args[0]))
            return {"ok": dev.ping(data) == data, "size": len(data)}
        ctap = Ctap2(dev)  # strict_cbor=True: every reply must be canonical CBOR
        if cmd == "info":
            info = ctap.info
            return {
                "versions": info.versions,
                "options": info.options,
                "aaguid": str(bytes(info.aaguid).hex()),
                "pinUvAuthProtocols": info.pin_uv_protocols,
            }
        if cmd == "retries":
            return {"retries": ClientPin(ctap).get_pin_retries()[0]}
        if cmd == "token":
            credman(ctap, args[0])
            return {"ok": True}
        if cmd == "list":
            return list_all(credman(ctap, args[0]))
        if cmd == "delete":
            cm = credman(ctap, args[0])
            cred = find(cm, unb64u(args[1]))
            cm.delete_cred(cred[CredentialManagement.RESULT.CREDENTIAL_ID])
            return {"ok": True}
        if cmd == "update":
            cm = credman(ctap, args[0])
            cred = find(cm, unb64u(args[1]))
            user = {"id": cred[CredentialManagement.RESULT.USER]["id"], "name": args[2], "displayName": args[3]}
            cm.update_user_info(cred[CredentialManagement.RESULT.CREDENTIAL_ID], user)
            return {"ok": True}
        if cmd == "make":
            client_pin = ClientPin(ctap)
            token = client_pin.get_pin_token(args[0], ClientPin.PERMISSION.MAKE_CREDENTIAL)
            cdh = hashlib.sha256(b"client data").digest()
            keepalives = []
            ctap.make_credential(
                cdh,
                {"id": args[1], "name": args[1]},
                {"id": os.urandom(16), "name": args[2], "displayName": args[2]},
                [{"type": "public-key", "alg": -7}],
                options={"rk": True},
                pin_uv_param=client_pin.protocol.authenticate(token, cdh),
                pin_uv_protocol=client_pin.protocol.VERSION,
                on_keepalive=lambda status: keepalives.append(int(status)),
            )
            return {"ok": True, "keepalives": keepalives}
        raise ValueError("unknown command " + cmd)
    finally:
        dev.close()


def main():
    address, cmd, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    try:
        result = run(address, cmd, args)
    except CtapError as e:
        result = {"error": e.code.name, "status": int(e.code)}
    except Exception as e:  # report, do not crash: the test compares outcomes
        result = {"error": type(e).__name__, "message": str(e)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
