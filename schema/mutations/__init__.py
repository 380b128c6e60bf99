"""Create / update / archive mutations: one input, one payload, one transaction each."""
