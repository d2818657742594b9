"""The headset's buttons and LEDs (USB HID Telephony page) behind a transport interface."""
