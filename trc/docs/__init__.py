"""Generated documents: each service's OpenAPI and AsyncAPI files, the configuration reference."""
