"""Remote sessions in the core: asks the server, follows its events, drives remote/'s launcher."""
