// Preloaded (--import) into a service run under --cpu-prof: SIGUSR2 exits cleanly, which is when
// Node writes the profile. SIGTERM would go through Nest's hooks and end by signal, writing nothing.
process.on('SIGUSR2', () => process.exit(0));
