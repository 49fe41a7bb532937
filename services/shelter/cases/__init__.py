"""Shelter use cases: cases, beds, person records, referrals and data protection."""
