"""Full-text search over threads (and, later, knowledge-base articles) with Whoosh."""
