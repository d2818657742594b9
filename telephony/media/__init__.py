"""Call audio: RTP out and in, the jitter buffer, and the headset through sounddevice."""
