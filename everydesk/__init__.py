"""everydesk: a customer-service platform where every employee serves customers."""

__version__ = "0.1.0"
