// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// zzping 0.2.2 compatibility: everything the tools need in one include.
//   framedata.hpp   daemon logs: LegacyFrame, FrameDataDecoder, decode_framedata, encode_framedata_frame
//   fdq.hpp         FDCodec v101: FdqConfig/Header/Frame/Record, FdqEncoder, FdqDecoder, decode_fdq,
//                   convert_framedata_to_fdq
//   fold.hpp        the original's aggregation (fold_vec, FdqFolder, iter_fold), compatibility only
//   framestats.hpp  the daemon -> GUI UDP message
//   llq.hpp, percentiles.hpp, rfc3339.hpp, decode_end.hpp: the building blocks
#include "zzping/formats/zzping02/decode_end.hpp"
#include "zzping/formats/zzping02/fdq.hpp"
#include "zzping/formats/zzping02/fold.hpp"
#include "zzping/formats/zzping02/framedata.hpp"
#include "zzping/formats/zzping02/framestats.hpp"
#include "zzping/formats/zzping02/llq.hpp"
#include "zzping/formats/zzping02/percentiles.hpp"
#include "zzping/formats/zzping02/rfc3339.hpp"
