// Keeps the library non-empty until its codecs land.
namespace zzping::formats {
int library_anchor() { return 0; }
}  // namespace zzping::formats
