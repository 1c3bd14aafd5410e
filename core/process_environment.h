#pragma once
// Settings the OpenMP runtime reads only when it loads, before main() runs.
//
// libtorch parallelises element-wise work with OpenMP (libgomp) while matrix products run on
// OpenBLAS's own threads. libgomp's default is to spin-wait between parallel regions, so its idle
// threads keep the cores busy exactly when OpenBLAS needs them: on 2 cores that halves prefill
// speed (measured 258 → 497 tokens/s on the smollm2-135m shape) and divides decode speed by 3.

namespace anatomist::core {

// Call first thing in main(). When OMP_WAIT_POLICY is unset, sets it to PASSIVE and re-executes
// the program (argv unchanged), since libgomp has already read its environment. Does nothing when
// the variable is set (by the user or by the first run) or ANATOMIST_NO_REEXEC is set.
void applyProcessEnvironment(char** argv);

} // namespace anatomist::core
