"""Demo submissions (registered with ``citisa.demo``); filled in below."""
