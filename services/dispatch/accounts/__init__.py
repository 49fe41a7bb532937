"""Staff accounts: passwords, sign-in and the ``user`` command line."""
