"""Channel adapters: each translates its platform's messages to and from the core's."""
