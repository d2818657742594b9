"""LineDesk's SIP user agent: aiosipua parses, builds SDP and answers digest challenges;
the transaction and dialog layer here is our own (the library's has five measured defects,
see docs/telephony.md)."""
