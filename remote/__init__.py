"""remote: the viewer launcher — no Qt, no ui/, no server/; imports only the client's core.

- `params`: what the server hands over (host, port, repeater id, session id), validated; a
  value that could be read as an option (`-via evil`, `/p:x`) is refused, never passed on;
- `vncauth`: the obfuscated password file TigerVNC reads (`vncpasswd -f`), written in Python;
- `backends`: TigerVNC (reference), FreeRDP, Remmina, a command template — each turns a
  validated request into an argument list, extra environment and stdin bytes (never a shell);
- `launcher`: runs viewers as its own children, one secrets directory and port per session,
  reads each viewer's log for the outcome (not its exit code), stops them by PID;
- `preflight`: is the viewer installed, is the host reachable — before launching.
"""
