"""Did the speech arrive? Normalised cross-correlation of a received recording with the
source, at the lag where they line up best (FFT cross-correlation, numpy). Did the tone
arrive? Its strongest frequency and the energy near one."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np

from tests.telephony.peers import need

RATE = 8000


def read_8k(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
    if (rate, channels, width) != (RATE, 1, 2):
        converted = path.with_suffix(".8k.wav")
        subprocess.run(
            [
                need("sox"),
                str(path),
                "-r",
                str(RATE),
                "-c",
                "1",
                "-b",
                "16",
                "-e",
                "signed-integer",
                str(converted),
            ],
            check=True,
        )
        path = converted
    with wave.open(str(path)) as w:
        data = w.readframes(w.getnframes())
    return np.frombuffer(data, dtype="<i2").astype(np.float64)


def correlation(source: np.ndarray, received: np.ndarray) -> tuple[float, float]:
    """(correlation at the best lag, that lag in seconds); received may be longer."""
    if len(received) < len(source) // 2 or not np.any(received):
        return 0.0, 0.0
    size = 1 << int(np.ceil(np.log2(len(source) + len(received))))
    xc = np.fft.irfft(np.fft.rfft(received, size) * np.conj(np.fft.rfft(source, size)), size)
    lag = int(np.argmax(xc[: len(received)]))
    segment = received[lag : lag + len(source)]
    reference = source[: len(segment)]
    if np.std(segment) == 0:
        return 0.0, lag / RATE
    return float(np.corrcoef(reference, segment)[0, 1]), lag / RATE


def windowed(source: np.ndarray, received: np.ndarray, window: float = 0.5) -> list[float]:
    """The correlation of each spoken half second of `source` with `received`, each at its
    own best lag (within 1 s after it). A loaded machine without real-time scheduling slips
    the audio chain now and then (a PipeWire quantum, a frame dropped for drift): each slip
    shifts the lag, which a single whole-file lag would count as lost speech."""
    size = int(window * RATE)
    loudness = np.std(source)
    out = []
    for start in range(0, len(source) - size, size):
        part = source[start : start + size]
        if np.std(part) < loudness / 4:
            continue  # a pause in the speech
        value, _lag = correlation(part, received[start : start + size + RATE])
        out.append(value)
    return out


def strongest(samples: np.ndarray, rate: int = RATE) -> tuple[float, float]:
    """(the strongest frequency in Hz, its share of the energy above 100 Hz)."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples)))) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    spectrum[freqs < 100] = 0
    peak = int(np.argmax(spectrum))
    near = spectrum[max(0, peak - 20) : peak + 21].sum()
    return float(freqs[peak]), float(near / spectrum.sum())


def energy_at(samples: np.ndarray, hz: float, rate: int = RATE) -> float:
    """The energy within 20 Hz of `hz`."""
    spectrum = np.abs(np.fft.rfft(samples)) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    return float(spectrum[np.abs(freqs - hz) < 20].sum())


def tone(path: Path, hz: int, seconds: float, pad: float = 0.0) -> Path:
    """A sine at 8 kHz S16LE mono (sox), `pad` seconds of silence after it."""
    form = ["-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer"]
    effects = ["synth", str(seconds), "sine", str(hz), "vol", "0.5", "pad", "0", str(pad)]
    subprocess.run([need("sox"), "-n", *form, str(path), *effects], check=True)
    return path
