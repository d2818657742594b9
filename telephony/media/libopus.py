"""libopus itself, through ctypes: the Opus encoder and decoder of a call.

Why not FFmpeg's libopus through PyAV (what LineDesk used first): its decoder cannot decode a
lost packet from the next one's in-band FEC (`opus_decode(…, decode_fec=1)`, RFC 6716 §2.1.7),
and each 20 ms frame went through an AudioFrame and a NumPy array each way. Why not
opuslib / opuslib-next: they load the system's libopus (`ctypes.util.find_library`), which
Windows does not have. The library loaded here is the one PyAV's wheels already bundle
(libopus 1.6.1 in `av` 18.1.0): `av.libs/libopus-*.so*` on Linux, `av.libs/libopus-0-*.dll`
on Windows (it needs only kernel32 and msvcrt), `av/.dylibs/libopus*.dylib` on macOS; only
where none is there, the system's (`find_library("opus")`). No new dependency.

Only what a call needs is bound: create, encode, decode (a packet, a lost one from the next
packet's FEC, a lost one concealed), a few `ctl`s (integer arguments only: the variadic call
is made with C ints, as on x86-64 Linux and Windows).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import importlib.util
from pathlib import Path

APPLICATION_VOIP = 2048
SET_BITRATE = 4002
SET_VBR = 4006
SET_COMPLEXITY = 4010
SET_INBAND_FEC = 4012
SET_PACKET_LOSS_PERC = 4014
SET_SIGNAL = 4024
SIGNAL_VOICE = 3001
MAX_FRAME = 5760  # samples of the longest packet (120 ms at 48 kHz)
MAX_PACKET = 1500  # bytes an encoded packet may take (one datagram)


class OpusError(Exception):
    """libopus returned an error code (its message)."""


def _candidates() -> list[Path]:
    spec = importlib.util.find_spec("av")
    if spec is None or spec.origin is None:
        return []
    package = Path(spec.origin).parent
    found = []
    for folder, pattern in (
        (package.parent / "av.libs", "libopus*"),  # Linux (auditwheel), Windows (delvewheel)
        (package / ".dylibs", "libopus*.dylib"),  # macOS (delocate)
    ):
        if folder.is_dir():
            found += sorted(folder.glob(pattern))
    return found


@functools.cache
def library() -> ctypes.CDLL:
    """libopus, loaded once: PyAV's copy, else the system's. OSError when there is none."""
    for path in _candidates():
        try:
            lib = ctypes.CDLL(str(path))
            break
        except OSError:
            continue
    else:
        name = ctypes.util.find_library("opus")
        if name is None:
            raise OSError("no libopus: neither PyAV's bundled copy nor the system's")
        lib = ctypes.CDLL(name)
    c_int, c_void_p, c_char_p = ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p
    error = ctypes.POINTER(c_int)
    lib.opus_encoder_create.argtypes = [ctypes.c_int32, c_int, c_int, error]
    lib.opus_encoder_create.restype = c_void_p
    lib.opus_decoder_create.argtypes = [ctypes.c_int32, c_int, error]
    lib.opus_decoder_create.restype = c_void_p
    lib.opus_encoder_destroy.argtypes = lib.opus_decoder_destroy.argtypes = [c_void_p]
    lib.opus_encode.argtypes = [c_void_p, c_char_p, c_int, c_void_p, ctypes.c_int32]
    lib.opus_encode.restype = ctypes.c_int32
    lib.opus_decode.argtypes = [c_void_p, c_char_p, ctypes.c_int32, c_void_p, c_int, c_int]
    lib.opus_decode.restype = c_int
    lib.opus_strerror.argtypes = [c_int]
    lib.opus_strerror.restype = c_char_p
    lib.opus_get_version_string.restype = c_char_p
    return lib


def version() -> str:
    return str(library().opus_get_version_string().decode())


def _check(code: int) -> int:
    if code < 0:
        raise OpusError(library().opus_strerror(code).decode())
    return code


class Encoder:
    """Mono 16-bit PCM at `rate` → one Opus packet per call (VoIP mode, voice)."""

    def __init__(self, rate: int, bitrate: int, fec_loss_pct: int = 0) -> None:
        lib = self._lib = library()
        error = ctypes.c_int(0)
        self._state = lib.opus_encoder_create(rate, 1, APPLICATION_VOIP, ctypes.byref(error))
        _check(error.value)
        for request, value in (
            (SET_BITRATE, bitrate),
            (SET_SIGNAL, SIGNAL_VOICE),
            # in-band FEC: each packet carries the previous frame again at a lower rate
            # (SILK's LBRR), which libopus only makes when told to expect some loss
            (SET_INBAND_FEC, int(fec_loss_pct > 0)),
            (SET_PACKET_LOSS_PERC, fec_loss_pct),
        ):
            state = ctypes.c_void_p(self._state)  # variadic: no argtypes, so typed here
            _check(lib.opus_encoder_ctl(state, ctypes.c_int(request), ctypes.c_int(value)))
        self._out = ctypes.create_string_buffer(MAX_PACKET)

    def encode(self, pcm: bytes) -> bytes:
        n = _check(self._lib.opus_encode(self._state, pcm, len(pcm) // 2, self._out, MAX_PACKET))
        return ctypes.string_at(self._out, n)

    def __del__(self) -> None:
        state, self._state = getattr(self, "_state", None), None
        if state:
            self._lib.opus_encoder_destroy(state)


class Decoder:
    """Opus packets → mono 16-bit PCM at `rate`; `fec(next)` and `conceal()` make the audio of
    a packet that never came. Never raises on the peer's bytes (the audio thread calls it)."""

    def __init__(self, rate: int) -> None:
        lib = self._lib = library()
        error = ctypes.c_int(0)
        self._state = lib.opus_decoder_create(rate, 1, ctypes.byref(error))
        _check(error.value)
        self._rate = rate
        self._pcm = (ctypes.c_int16 * MAX_FRAME)()
        self.last_samples = rate // 50  # the last packet's length: a lost one's, guessed

    def decode(self, payload: bytes) -> bytes:
        """The packet's PCM; b'' when it cannot be decoded (the caller plays silence)."""
        if not payload:
            return b""
        n = self._lib.opus_decode(self._state, payload, len(payload), self._pcm, MAX_FRAME, 0)
        if n <= 0:
            return b""
        self.last_samples = n
        return ctypes.string_at(self._pcm, 2 * n)

    def fec(self, following: bytes) -> bytes:
        """The lost packet before `following`, from `following`'s in-band FEC (libopus
        conceals instead when it carries none)."""
        # the size asked is the audio missing (the packets around it are as long)
        size = self.last_samples
        n = self._lib.opus_decode(self._state, following, len(following), self._pcm, size, 1)
        return ctypes.string_at(self._pcm, 2 * n) if n > 0 else self.conceal()

    def conceal(self) -> bytes:
        """A lost packet with nothing after it yet: libopus's packet loss concealment."""
        n = self._lib.opus_decode(self._state, None, 0, self._pcm, self.last_samples, 0)
        return ctypes.string_at(self._pcm, 2 * n) if n > 0 else b""

    def __del__(self) -> None:
        state, self._state = getattr(self, "_state", None), None
        if state:
            self._lib.opus_decoder_destroy(state)
