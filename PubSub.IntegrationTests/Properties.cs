// The emulators and the AppHost share two cores; tests run one at a time so that timings stay sane.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
