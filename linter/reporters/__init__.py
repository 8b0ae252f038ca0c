"""Output formats. Each reporter renders a finished result; none computes exit codes."""
