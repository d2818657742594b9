"""Who is calling: sign-in, tokens, passwords, and what a caller may see."""
