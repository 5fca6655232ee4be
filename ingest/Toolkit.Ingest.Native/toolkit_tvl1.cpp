// toolkit_tvl1: the Dual TV-L1 factory of the flow shim, in a library of its own.
//
// libtoolkit_flow.so (toolkit_flow.cpp) links only OpenCV's core, imgproc and video modules,
// enough for DIS. TV-L1 lives in opencv_optflow, which pulls in imgcodecs, ximgproc and about
// 120 more shared libraries; loading them costs about 0.1 s of wall time on every run. So
// libtoolkit_flow.so opens this library (from its own folder) only when a TV-L1 handle is made.
//
// Build: ./build.sh OUTDIR (builds both libraries).
//
// ABI: void* tkf_tvl1_new(char* err, int err_len)
//   A heap-allocated cv::Ptr<cv::optflow::DualTVL1OpticalFlow> made by
//   cv::optflow::createOptFlow_DualTVL1() (OpenCV's defaults); the caller moves the Ptr out and
//   deletes the holder. NULL with a NUL-terminated message in err on failure. Never throws.

#include <opencv2/core.hpp>
#include <opencv2/optflow.hpp>

#include <cstring>
#include <exception>
#include <new>
#include <utility>

namespace {

void set_err(char* err, int err_len, const char* msg) noexcept {
    if (err == nullptr || err_len <= 0) return;
    std::size_t n = std::strlen(msg);
    if (n > static_cast<std::size_t>(err_len) - 1) n = static_cast<std::size_t>(err_len) - 1;
    std::memcpy(err, msg, n);
    err[n] = '\0';
}

}  // namespace

extern "C" __attribute__((visibility("default"))) void* tkf_tvl1_new(char* err, int err_len) noexcept {
    try {
        auto made = cv::optflow::createOptFlow_DualTVL1();
        if (made.empty()) {
            set_err(err, err_len, "createOptFlow_DualTVL1 returned null");
            return nullptr;
        }
        set_err(err, err_len, "");
        return new cv::Ptr<cv::optflow::DualTVL1OpticalFlow>(std::move(made));
    } catch (const std::exception& e) {
        set_err(err, err_len, e.what());
    } catch (...) {
        set_err(err, err_len, "unknown exception in createOptFlow_DualTVL1");
    }
    return nullptr;
}
