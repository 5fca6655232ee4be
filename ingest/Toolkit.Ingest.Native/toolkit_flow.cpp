// toolkit_flow: a tiny C-ABI shim over OpenCV's Dual TV-L1 and DIS dense optical flow,
// P/Invoked by the C# ingest code (OpenCvSharp's TV-L1 wrapper crashes and it has no DIS wrapper).
//
// Build: ./build.sh OUTDIR   (g++ against Debian's OpenCV 4.6: core, imgproc, video; TV-L1's
// factory lives in libtoolkit_tvl1.so, toolkit_tvl1.cpp, linked against opencv_optflow)
//
// Only core, imgproc and video are linked: DIS needs nothing else, and opencv_optflow drags in
// imgcodecs, ximgproc and about 120 more shared libraries (GDAL, GDCM, OpenEXR, ...), whose
// loading cost every run about 0.1 s of wall time and 0.2 s of CPU. TV-L1 is created through
// libtoolkit_tvl1.so, opened from this library's own folder on the first TV-L1 tkf_create.
//
// ABI (all functions are extern "C" and noexcept; no C++ exception ever crosses the boundary):
//
//   void*       tkf_create(int algorithm, int dis_preset, char* err, int err_len);
//   int         tkf_calc(void* handle, const unsigned char* prev, const unsigned char* next,
//                        int width, int height, int stride, float* flow_xy, char* err, int err_len);
//   int         tkf_calc_quantized(void* handle, const unsigned char* prev, const unsigned char* next,
//                        int width, int height, int stride, double bound,
//                        unsigned char* x, unsigned char* y, int out_stride, char* err, int err_len);
//   void        tkf_destroy(void* handle);
//   void        tkf_set_num_threads(int n);
//   const char* tkf_opencv_version(void);
//
// algorithm: 1 = Dual TV-L1 (cv::optflow::createOptFlow_DualTVL1(), OpenCV defaults)
//            2 = DIS (cv::DISOpticalFlow::create(dis_preset))
// dis_preset: 0 = ultrafast, 1 = fast, 2 = medium (cv::DISOpticalFlow::PRESET_*); ignored for TV-L1.
//
// tkf_calc_quantized computes the same flow and writes it as the two 8-bit images mmaction2 and
// denseflow store: x and y each get saturate(round(v * 255 / (2 * bound) + 127.5)) per pixel
// (cv::Mat::convertTo, round half to even; zero motion -> 128), rows out_stride bytes apart. This
// is exactly what splitting the float field and converting each channel gives, without handing
// the float field (8 bytes per pixel) back to the caller.
//
// Threading: a handle holds one algorithm instance plus scratch buffers and must be used by
// ONE thread at a time (create one handle per worker thread). Different handles may be used
// concurrently from different threads. tkf_set_num_threads() sets OpenCV's process-wide
// internal thread count (cv::setNumThreads) for the OpenCV linked by this library.
//
// Return codes of tkf_calc: see TKF_* below. Error messages are NUL-terminated and truncated to
// err_len bytes (including the NUL); err may be NULL / err_len <= 0 to ignore messages. On
// success err (if given) is set to the empty string.

#include <opencv2/core.hpp>
#include <opencv2/core/utility.hpp>
#include <opencv2/video/tracking.hpp>
#include <opencv2/optflow.hpp>  // the DualTVL1OpticalFlow interface only: its methods are virtual

#include <dlfcn.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

#define TKF_API extern "C" __attribute__((visibility("default")))

namespace {

enum : int {
    TKF_OK = 0,
    TKF_E_INVALID_ARGUMENT = 1,  // bad handle / pointer / size / algorithm / preset
    TKF_E_OPENCV = 2,            // cv::Exception thrown by OpenCV
    TKF_E_OUT_OF_MEMORY = 3,     // std::bad_alloc
    TKF_E_INTERNAL = 4,          // any other exception
};

enum : int { TKF_ALGO_TVL1 = 1, TKF_ALGO_DIS = 2 };

constexpr std::uint32_t kMagicAlive = 0x544B4631u;  // "TKF1"
constexpr std::uint32_t kMagicDead = 0xDEADF10Eu;

struct Handle {
    std::uint32_t magic = kMagicAlive;
    int algorithm = 0;

    // TV-L1. OpenCV's calc() lowers its scale count in place when a pyramid level gets
    // smaller than 16 px; the configured value is restored before every call so that each
    // call behaves like a fresh createOptFlow_DualTVL1() instance.
    cv::Ptr<cv::optflow::DualTVL1OpticalFlow> tvl1;
    int tvl1_scales = 0;

    // DIS. OpenCV 4.6's calc() rewrites patch size / finest scale in place for small frames
    // (autoSelectPatchSizeAndScales); the preset values are restored before every call.
    cv::Ptr<cv::DISOpticalFlow> dis;
    int dis_patch_size = 0;
    int dis_finest_scale = 0;
    cv::Mat dis_prev, dis_next;  // contiguous copies, only used when stride != width

    cv::Mat field;      // TV-L1's output, reused (TV-L1 does not read it)
    cv::Mat quantized;  // CV_8UC2 scratch of tkf_calc_quantized
};

void set_err(char* err, int err_len, const char* msg) noexcept {
    if (err == nullptr || err_len <= 0) return;
    if (msg == nullptr) msg = "";
    std::size_t n = std::strlen(msg);
    const std::size_t cap = static_cast<std::size_t>(err_len) - 1;
    if (n > cap) n = cap;
    std::memcpy(err, msg, n);
    err[n] = '\0';
}

void set_err2(char* err, int err_len, const char* prefix, const char* what) noexcept {
    if (err == nullptr || err_len <= 0) return;
    const std::size_t cap = static_cast<std::size_t>(err_len) - 1;
    std::size_t pos = 0;
    for (const char* s : {prefix, what}) {
        if (s == nullptr) continue;
        std::size_t n = std::strlen(s);
        if (n > cap - pos) n = cap - pos;
        std::memcpy(err + pos, s, n);
        pos += n;
    }
    err[pos] = '\0';
}

// libtoolkit_tvl1.so's factory: a heap-allocated cv::Ptr<DualTVL1OpticalFlow> (the caller takes
// it over and deletes the holder), or NULL with a message.
using Tvl1Factory = void* (*)(char* err, int err_len);

// Opens libtoolkit_tvl1.so from the folder this library was loaded from, once per process (it
// stays loaded). Returns NULL and a message naming the file and dlerror() when it cannot.
Tvl1Factory tvl1_factory(char* err, int err_len) {  // may throw std::bad_alloc: tkf_create catches it
    static Tvl1Factory factory = nullptr;
    static std::string failure;
    static const bool opened = [] {
        Dl_info self{};
        if (dladdr(reinterpret_cast<void*>(&tvl1_factory), &self) == 0 || self.dli_fname == nullptr) {
            failure = "cannot find the folder of libtoolkit_flow.so";
            return false;
        }
        std::string path = self.dli_fname;
        const std::size_t slash = path.rfind('/');
        path = (slash == std::string::npos ? std::string() : path.substr(0, slash + 1)) + "libtoolkit_tvl1.so";
        void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (lib == nullptr) {
            const char* why = dlerror();
            failure = "TV-L1 needs " + path + " (built with libopencv-contrib-dev): " + (why ? why : "dlopen failed");
            return false;
        }
        factory = reinterpret_cast<Tvl1Factory>(dlsym(lib, "tkf_tvl1_new"));
        if (factory == nullptr) {
            failure = path + " has no tkf_tvl1_new: rebuild it with ingest/Toolkit.Ingest.Native/build.sh";
            return false;
        }
        return true;
    }();
    if (!opened) {
        set_err(err, err_len, failure.c_str());
        return nullptr;
    }
    return factory;
}

// Maps the in-flight exception to an error code + message. Must be called from a catch block.
int translate_exception(char* err, int err_len) noexcept {
    try {
        throw;
    } catch (const cv::Exception& e) {
        set_err2(err, err_len, "OpenCV error: ", e.what());
        return TKF_E_OPENCV;
    } catch (const std::bad_alloc&) {
        set_err(err, err_len, "out of memory");
        return TKF_E_OUT_OF_MEMORY;
    } catch (const std::exception& e) {
        set_err2(err, err_len, "internal error: ", e.what());
        return TKF_E_INTERNAL;
    } catch (...) {
        set_err(err, err_len, "internal error: unknown exception");
        return TKF_E_INTERNAL;
    }
}

// OpenCV 4.6's DISOpticalFlowImpl::calc crashes (out-of-bounds access, SIGSEGV) instead of
// throwing for some small / elongated frames, e.g. 40x12 with the fast preset: when its
// normal scale selection fails it re-derives the coarsest scale from the width alone, and the
// height at that scale can be smaller than the patch. This mirrors that selection (same
// expressions as dis_flow.cpp in 4.6) and rejects every size that would not leave at least
// one full patch in both directions at the coarsest pyramid level. Normal video frames
// (short side >= 32 or so) are never affected.
bool dis_size_ok(int width, int height, int patch_size, int finest_scale) noexcept {
    if (patch_size <= 0) return false;
    const int mx = width > height ? width : height;
    const int mn = width < height ? width : height;
    const int q = mn / patch_size;  // integer division, as in OpenCV
    if (q <= 0) return false;       // OpenCV: coarsest_scale < 0 -> error
    const int a = static_cast<int>(std::log(mx / (4.0 * patch_size)) / std::log(2.0) + 0.5);
    const int b = static_cast<int>(std::log(static_cast<double>(q)) / std::log(2.0));
    int coarsest = a < b ? a : b;
    int patch = patch_size;
    if (coarsest < 0) return false;
    if (coarsest < finest_scale) {
        // autoSelectPatchSizeAndScales(width)
        patch = (finest_scale == 3 || finest_scale == 4) ? 12 : 8;
        const float r = std::log2((2.0f * static_cast<float>(width)) / (5.0f * static_cast<float>(patch)));
        const int c = static_cast<int>(std::floor(r));
        coarsest = c > 0 ? c : 0;
    }
    if (coarsest >= 30) return true;
    return (height >> coarsest) >= patch && (width >> coarsest) >= patch;
}

// Clears the upper halves of the AVX registers before OpenCV runs. Debian's OpenCV 4.6 still has
// hot loops in the legacy (non-VEX) SSE encoding, among them the scalar INTER_AREA resize that
// builds DIS's pyramid from frames whose width is odd (455x256). When the caller arrives with dirty
// upper AVX state, each legacy SSE instruction carries a false dependency on it (Intel since
// Skylake; measured here on AMD Zen 4 too): in `toolkit extract` that resize ran twice as slowly
// and a 455x256 DIS pair cost 3.3 instead of 2.6 ms of CPU, depending only on what the .NET worker
// thread had run before the call. Compilers clear the state at their own AVX functions' exits
// (dotnet/runtime#82132 is the JIT's side of it); the shim does not rely on every caller doing so.
// VZEROUPPER does not exist without AVX, so it runs only where the CPU has AVX.
void clear_upper_avx() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    static const bool has_avx = __builtin_cpu_supports("avx");
    if (has_avx) __asm__ __volatile__("vzeroupper" ::: "memory");
#endif
}

Handle* as_handle(void* h) noexcept {
    auto* p = static_cast<Handle*>(h);
    if (p == nullptr || p->magic != kMagicAlive) return nullptr;
    return p;
}

}  // namespace

TKF_API void* tkf_create(int algorithm, int dis_preset, char* err, int err_len) noexcept {
    try {
        if (algorithm != TKF_ALGO_TVL1 && algorithm != TKF_ALGO_DIS) {
            set_err(err, err_len, "tkf_create: algorithm must be 1 (Dual TV-L1) or 2 (DIS)");
            return nullptr;
        }
        if (algorithm == TKF_ALGO_DIS &&
            (dis_preset < cv::DISOpticalFlow::PRESET_ULTRAFAST || dis_preset > cv::DISOpticalFlow::PRESET_MEDIUM)) {
            set_err(err, err_len, "tkf_create: dis_preset must be 0 (ultrafast), 1 (fast) or 2 (medium)");
            return nullptr;
        }
        auto* h = new Handle();
        try {
            h->algorithm = algorithm;
            if (algorithm == TKF_ALGO_TVL1) {
                Tvl1Factory factory = tvl1_factory(err, err_len);
                if (factory == nullptr) {
                    delete h;
                    return nullptr;
                }
                auto* made = static_cast<cv::Ptr<cv::optflow::DualTVL1OpticalFlow>*>(factory(err, err_len));
                if (made == nullptr) {
                    delete h;
                    return nullptr;
                }
                h->tvl1 = std::move(*made);
                delete made;
                if (h->tvl1.empty()) throw std::runtime_error("createOptFlow_DualTVL1 returned null");
                h->tvl1_scales = h->tvl1->getScalesNumber();
            } else {
                h->dis = cv::DISOpticalFlow::create(dis_preset);
                if (h->dis.empty()) throw std::runtime_error("DISOpticalFlow::create returned null");
                h->dis_patch_size = h->dis->getPatchSize();
                h->dis_finest_scale = h->dis->getFinestScale();
            }
        } catch (...) {
            delete h;
            throw;
        }
        set_err(err, err_len, "");
        return h;
    } catch (...) {
        translate_exception(err, err_len);
        return nullptr;
    }
}

namespace {

// Checks the arguments shared by both calc entry points; TKF_OK or an error code with a message.
int check_frames(Handle* h, const unsigned char* prev, const unsigned char* next, int width, int height, int stride,
                 char* err, int err_len) noexcept {
    if (h == nullptr) {
        set_err(err, err_len, "tkf_calc: invalid or destroyed handle");
        return TKF_E_INVALID_ARGUMENT;
    }
    if (prev == nullptr || next == nullptr) {
        set_err(err, err_len, "tkf_calc: prev and next must not be NULL");
        return TKF_E_INVALID_ARGUMENT;
    }
    if (width <= 0 || height <= 0 || stride < width) {
        set_err(err, err_len, "tkf_calc: need width > 0, height > 0 and stride >= width");
        return TKF_E_INVALID_ARGUMENT;
    }
    // width*height*2 floats must be addressable (guard the int math).
    if (static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) > (std::uint64_t{1} << 40)) {
        set_err(err, err_len, "tkf_calc: image too large");
        return TKF_E_INVALID_ARGUMENT;
    }
    if (h->algorithm == TKF_ALGO_TVL1) {
        // OpenCV's TV-L1 reads one row past the image when height == 1.
        if (width < 2 || height < 2) {
            set_err(err, err_len, "tkf_calc: Dual TV-L1 needs width >= 2 and height >= 2");
            return TKF_E_INVALID_ARGUMENT;
        }
    } else if (!dis_size_ok(width, height, h->dis_patch_size, h->dis_finest_scale)) {
        char msg[160];
        std::snprintf(msg, sizeof msg,
                      "tkf_calc: %dx%d is too small for DIS with this preset (OpenCV 4.6 would fail or crash)",
                      width, height);
        set_err(err, err_len, msg);
        return TKF_E_INVALID_ARGUMENT;
    }
    return TKF_OK;
}

// The flow from prev to next, as a CV_32FC2 field of width x height. For TV-L1 `out` may be
// preallocated (calc() ends with cv::merge into it, which keeps a buffer of the right size); for
// DIS it is always computed into a fresh Mat and assigned to `out`.
void compute(Handle* h, const unsigned char* prev, const unsigned char* next, int width, int height, int stride,
             cv::Mat& out) {
    const cv::Mat prev_m(height, width, CV_8UC1, const_cast<unsigned char*>(prev), static_cast<std::size_t>(stride));
    const cv::Mat next_m(height, width, CV_8UC1, const_cast<unsigned char*>(next), static_cast<std::size_t>(stride));
    if (h->algorithm == TKF_ALGO_TVL1) {
        h->tvl1->setScalesNumber(h->tvl1_scales);
        // useInitialFlow is false (default), so the output's contents are not read.
        h->tvl1->calc(prev_m, next_m, out);
    } else {
        h->dis->setPatchSize(h->dis_patch_size);
        h->dis->setFinestScale(h->dis_finest_scale);
        // DIS asserts continuous inputs: copy only when rows are padded.
        const cv::Mat* p0 = &prev_m;
        const cv::Mat* p1 = &next_m;
        if (!prev_m.isContinuous()) {
            prev_m.copyTo(h->dis_prev);
            p0 = &h->dis_prev;
        }
        if (!next_m.isContinuous()) {
            next_m.copyTo(h->dis_next);
            p1 = &h->dis_next;
        }
        // DIS treats an output that is already CV_32FC2 of the input size as an *initial flow*
        // (temporal candidates), so nothing preallocated may be passed: compute into a fresh Mat,
        // exactly what a plain `cv::Mat flow; dis->calc(a, b, flow)` does.
        cv::Mat fresh;
        h->dis->calc(*p0, *p1, fresh);
        out = fresh;
    }
    CV_Assert(out.rows == height && out.cols == width && out.type() == CV_32FC2);
}

}  // namespace

TKF_API int tkf_calc(void* handle, const unsigned char* prev, const unsigned char* next, int width, int height,
                     int stride, float* flow_xy, char* err, int err_len) noexcept {
    try {
        Handle* h = as_handle(handle);
        if (int rc = check_frames(h, prev, next, width, height, stride, err, err_len); rc != TKF_OK) return rc;
        if (flow_xy == nullptr) {
            set_err(err, err_len, "tkf_calc: flow_xy must not be NULL");
            return TKF_E_INVALID_ARGUMENT;
        }
        clear_upper_avx();
        cv::Mat flow_m(height, width, CV_32FC2, flow_xy);  // continuous, caller-owned
        cv::Mat out;
        if (h->algorithm == TKF_ALGO_TVL1) out = flow_m;  // TV-L1 writes straight into flow_xy
        compute(h, prev, next, width, height, stride, out);
        if (out.data != reinterpret_cast<uchar*>(flow_xy)) out.copyTo(flow_m);  // DIS: one copy, flow_m still wraps flow_xy
        set_err(err, err_len, "");
        return TKF_OK;
    } catch (...) {
        return translate_exception(err, err_len);
    }
}

TKF_API int tkf_calc_quantized(void* handle, const unsigned char* prev, const unsigned char* next, int width,
                               int height, int stride, double bound, unsigned char* x, unsigned char* y,
                               int out_stride, char* err, int err_len) noexcept {
    try {
        Handle* h = as_handle(handle);
        if (int rc = check_frames(h, prev, next, width, height, stride, err, err_len); rc != TKF_OK) return rc;
        if (x == nullptr || y == nullptr || out_stride < width) {
            set_err(err, err_len, "tkf_calc_quantized: x and y must not be NULL and out_stride must be >= width");
            return TKF_E_INVALID_ARGUMENT;
        }
        if (!(bound > 0) || !std::isfinite(bound)) {
            set_err(err, err_len, "tkf_calc_quantized: bound must be a positive number");
            return TKF_E_INVALID_ARGUMENT;
        }
        clear_upper_avx();
        cv::Mat field;
        if (h->algorithm == TKF_ALGO_TVL1) field = h->field;
        compute(h, prev, next, width, height, stride, field);
        if (h->algorithm == TKF_ALGO_TVL1) h->field = field;
        // saturate(round(v * alpha + 127.5)) on both channels at once, then the two 8-bit planes
        // apart: the same per-element conversion as converting each split float channel.
        field.convertTo(h->quantized, CV_8UC2, 255.0 / (2.0 * bound), 127.5);
        cv::Mat planes[2] = {
            cv::Mat(height, width, CV_8UC1, x, static_cast<std::size_t>(out_stride)),
            cv::Mat(height, width, CV_8UC1, y, static_cast<std::size_t>(out_stride)),
        };
        cv::split(h->quantized, planes);  // planes keep their size and type, so split writes into x and y
        CV_Assert(planes[0].data == x && planes[1].data == y);
        set_err(err, err_len, "");
        return TKF_OK;
    } catch (...) {
        return translate_exception(err, err_len);
    }
}

TKF_API void tkf_destroy(void* handle) noexcept {
    Handle* h = as_handle(handle);
    if (h == nullptr) return;  // NULL or already destroyed: no-op (best effort)
    try {
        h->magic = kMagicDead;
        delete h;
    } catch (...) {
        // destructors of cv::Ptr / cv::Mat do not throw; nothing sensible to do otherwise
    }
}

TKF_API void tkf_set_num_threads(int n) noexcept {
    try {
        cv::setNumThreads(n);
    } catch (...) {
    }
}

TKF_API const char* tkf_opencv_version(void) noexcept {
    static const char* const version = []() noexcept -> const char* {
        try {
            static const std::string v = cv::getVersionString();  // runtime libopencv_core version
            return v.c_str();
        } catch (...) {
            return CV_VERSION;  // compile-time version as a fallback
        }
    }();
    return version;
}
