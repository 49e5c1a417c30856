/* SHA-256 moved to core/digest.h. This forwarding header is kept until
 * the last includes move (files being edited in parallel branches);
 * new code includes core/digest.h. */
#include "core/digest.h"
