#ifndef LEADRELAY_CHIREDIS_SHIM_H
#define LEADRELAY_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
