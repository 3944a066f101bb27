"""Database backends of this deployment."""
