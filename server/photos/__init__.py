"""Account pictures: upload, checks, serving."""
