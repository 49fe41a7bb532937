"""The unit tier: rules and rendering alone, no database, no broker, no network."""
