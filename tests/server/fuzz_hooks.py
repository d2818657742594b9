"""Schemathesis's hooks for tests/server/test_fuzz.py: real bytes for the bodies no JSON
Schema can describe — a decodable picture for a photo, an Ogg Opus stream for a call's
recording (the server reads them; random bytes would only test its refusal)."""

from __future__ import annotations

import schemathesis
from hypothesis import strategies as st

from tests.server.test_avatars import jpeg, png
from tests.telephony.test_recording_server import ogg_opus

schemathesis.openapi.media_type("image/png", st.sampled_from([png(64, 64), png(300, 200)]))
schemathesis.openapi.media_type("image/jpeg", st.sampled_from([jpeg(64, 64), jpeg(320, 240)]))
schemathesis.openapi.media_type("audio/ogg", st.sampled_from([ogg_opus(0.5)]))
