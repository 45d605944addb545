"""Full-text search over threads and KB articles, with Whoosh or PostgreSQL (backend.py)."""
