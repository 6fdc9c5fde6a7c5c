-- Mirrors scripts/stack.sh: the platform's database and the registry's own.
CREATE DATABASE apicurio OWNER transcodeflow;
