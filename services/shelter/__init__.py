"""The shelter service. Shelter: cases from admission to outcome."""
