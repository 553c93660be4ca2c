"""The public portal: announced protocols for citizens and members to read, search and follow."""
