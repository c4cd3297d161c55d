"""Dump each message given on stdin (a JSON list of base64 strings) the way
Python's email package parses it, as the canonical part list the netkit
comparison test builds from mime.parseMessage."""
import base64
import json
import sys
from email import policy
from email.parser import BytesParser


def text(value):
    if value is None or value == '':
        return None
    return value.encode('ascii', 'surrogateescape').decode('latin-1') if isinstance(value, str) else value


def walk(part, out):
    node = {'type': part.get_content_type()}
    filename = part.get_filename()
    if filename is not None:
        node['filename'] = str(filename)
    out.append(node)
    if part.get_content_type() == 'message/rfc822' and part.is_multipart():
        walk(part.get_payload(0), out)
    elif part.is_multipart():
        node['preamble'] = text(part.preamble)
        node['epilogue'] = text(part.epilogue)
        for child in part.get_payload():
            walk(child, out)
    else:
        if part.get_content_maintype() == 'text':
            node['charset'] = part.get_content_charset('us-ascii')
        node['body'] = base64.b64encode(part.get_payload(decode=True) or b'').decode()


result = []
for raw in json.load(sys.stdin):
    msg = BytesParser(policy=policy.default).parsebytes(base64.b64decode(raw))
    out = []
    walk(msg, out)
    out[0]['subject'] = str(msg['subject']) if msg['subject'] is not None else None
    for name in ('from', 'to', 'cc'):
        field = msg[name]
        out[0][name] = [[a.display_name, a.addr_spec] for a in field.addresses] if field is not None else []
    result.append(out)
json.dump(result, sys.stdout)
