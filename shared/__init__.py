"""Common code of the TRC Dispatch services: contracts, messaging plumbing, database, settings, logging."""
