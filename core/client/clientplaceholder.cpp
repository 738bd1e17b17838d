// Replaced as soon as the first client class lands.
