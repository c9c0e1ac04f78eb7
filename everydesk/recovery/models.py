"""Service recovery: follow-ups after a complaint, and closing the loop on unhappy answers."""
