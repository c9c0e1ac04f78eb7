"""The API's operations, one router per resource. Each stays thin: access check, action, schema."""
