"""Common code of the TRC Dispatch services.

Contracts, messaging plumbing, database, settings, logging.
"""
