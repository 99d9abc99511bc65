"""What the deploy checks share: tool lookups, the kustomize renderer, processes they run."""
