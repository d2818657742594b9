"""Call records (contract.calls): the server side."""
