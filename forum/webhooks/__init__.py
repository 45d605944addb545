"""Webhooks: signed HTTP POSTs to integrations when something happens in the forum."""
