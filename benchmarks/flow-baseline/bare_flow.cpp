// bare_flow: "bare OpenCV calls" baseline for the `toolkit extract` optical-flow benchmarks.
//
//   bare_flow --algo tvl1|farneback|dis [--dis-preset ultrafast|fast|medium] [--short-side 256]
//             [--threads 2] [--mode calc|full] [--out DIR] VIDEO...
//
// Frames: cv::VideoCapture(path, cv::CAP_FFMPEG) -> BGR frame -> cv::resize(INTER_LINEAR) so the
// short side is --short-side (long side = round(long * short_side / short), aspect kept, no
// even-size rounding; frames already at that size are not resized) -> cv::cvtColor(BGR2GRAY).
//
// --mode calc  Decode + resize + gray all frames of all videos into memory (not timed), then
//              time only the flow calls for every consecutive pair (i, i+1) of every video,
//              spread over --threads std::threads (dynamic work queue of pairs), each thread
//              with its own algorithm instance. cv::setNumThreads(1).
// --mode full  Time the whole job: videos are spread over --threads std::threads; per video:
//              decode, resize, gray, flow per consecutive pair, quantize x and y with bound 20
//              (q = cvRound(255*(v+20)/40) clipped to [0,255], zero motion -> 128, done with
//              Mat::convertTo(CV_8U, 255/40, 127.5)), cv::imencode JPEG quality 95 and write
//              DIR/<video stem>/flow_x_%05d.jpg and flow_y_%05d.jpg (1-based pair index).
//
// Flow calls:
//   farneback  cv::calcOpticalFlowFarneback(prev, next, flow, 0.5, 3, 15, 3, 5, 1.2, 0)
//   tvl1       cv::optflow::createOptFlow_DualTVL1() (defaults), ->calc(prev, next, flow)
//   dis        cv::DISOpticalFlow::create(preset) (default PRESET_FAST), ->calc(prev, next, flow)
// `flow` is a fresh empty cv::Mat for every pair: DIS treats a preallocated CV_32FC2 output of
// the right size as an initial flow, so reusing one would change its results.
//
// Output: one JSON line on stdout, e.g.
//   {"algo":"dis","mode":"calc","threads":2,"videos":3,"pairs":1129,"seconds":1.234,"pairs_per_s":914.9}
// Diagnostics go to stderr (including the process CPU time of the timed section). Exit status: 0 ok, 2 usage error, 1 runtime error (e.g. unreadable video).

#include <opencv2/core.hpp>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/optflow.hpp>
#include <opencv2/video/tracking.hpp>
#include <opencv2/videoio.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

enum class Algo { TVL1, Farneback, DIS };
enum class Mode { Calc, Full };

struct Options {
    Algo algo = Algo::DIS;
    bool algo_set = false;
    int dis_preset = cv::DISOpticalFlow::PRESET_FAST;
    int short_side = 256;
    int threads = 2;
    Mode mode = Mode::Calc;
    std::string out;
    std::vector<std::string> videos;
};

const char* algo_name(Algo a) {
    switch (a) {
        case Algo::TVL1: return "tvl1";
        case Algo::Farneback: return "farneback";
        case Algo::DIS: return "dis";
    }
    return "?";
}

[[noreturn]] void usage(const char* msg) {
    if (msg) std::fprintf(stderr, "bare_flow: %s\n", msg);
    std::fprintf(stderr,
                 "usage: bare_flow --algo tvl1|farneback|dis [--dis-preset ultrafast|fast|medium]\n"
                 "                 [--short-side 256] [--threads 2] [--mode calc|full] [--out DIR] VIDEO...\n");
    std::exit(2);
}

int parse_int(const std::string& s, const char* what, int lo) {
    try {
        std::size_t pos = 0;
        long v = std::stol(s, &pos);
        if (pos != s.size() || v < lo || v > 1000000) throw std::invalid_argument(s);
        return static_cast<int>(v);
    } catch (const std::exception&) {
        usage((std::string("invalid value for ") + what + ": '" + s + "'").c_str());
    }
}

Options parse_args(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](const char* name) -> std::string {
            if (i + 1 >= argc) usage((std::string("missing value for ") + name).c_str());
            return argv[++i];
        };
        if (a == "--algo") {
            std::string v = value("--algo");
            if (v == "tvl1") o.algo = Algo::TVL1;
            else if (v == "farneback") o.algo = Algo::Farneback;
            else if (v == "dis") o.algo = Algo::DIS;
            else usage(("unknown --algo '" + v + "'").c_str());
            o.algo_set = true;
        } else if (a == "--dis-preset") {
            std::string v = value("--dis-preset");
            if (v == "ultrafast") o.dis_preset = cv::DISOpticalFlow::PRESET_ULTRAFAST;
            else if (v == "fast") o.dis_preset = cv::DISOpticalFlow::PRESET_FAST;
            else if (v == "medium") o.dis_preset = cv::DISOpticalFlow::PRESET_MEDIUM;
            else usage(("unknown --dis-preset '" + v + "'").c_str());
        } else if (a == "--short-side") {
            o.short_side = parse_int(value("--short-side"), "--short-side", 16);
        } else if (a == "--threads") {
            o.threads = parse_int(value("--threads"), "--threads", 1);
        } else if (a == "--mode") {
            std::string v = value("--mode");
            if (v == "calc") o.mode = Mode::Calc;
            else if (v == "full") o.mode = Mode::Full;
            else usage(("unknown --mode '" + v + "'").c_str());
        } else if (a == "--out") {
            o.out = value("--out");
        } else if (a == "-h" || a == "--help") {
            usage(nullptr);
        } else if (a == "--") {
            for (++i; i < argc; ++i) o.videos.push_back(argv[i]);
        } else if (a.size() > 1 && a[0] == '-') {
            usage(("unknown option '" + a + "'").c_str());
        } else {
            o.videos.push_back(a);
        }
    }
    if (!o.algo_set) usage("--algo is required");
    if (o.videos.empty()) usage("no VIDEO given");
    if (o.mode == Mode::Full && o.out.empty()) usage("--mode full needs --out DIR");
    return o;
}

// One algorithm instance; not shared between threads.
class Flow {
public:
    Flow(Algo algo, int dis_preset) : algo_(algo) {
        if (algo == Algo::TVL1) tvl1_ = cv::optflow::createOptFlow_DualTVL1();
        if (algo == Algo::DIS) dis_ = cv::DISOpticalFlow::create(dis_preset);
    }
    void calc(const cv::Mat& prev, const cv::Mat& next, cv::Mat& flow) {
        switch (algo_) {
            case Algo::Farneback: cv::calcOpticalFlowFarneback(prev, next, flow, 0.5, 3, 15, 3, 5, 1.2, 0); break;
            case Algo::TVL1: tvl1_->calc(prev, next, flow); break;
            case Algo::DIS: dis_->calc(prev, next, flow); break;
        }
    }

private:
    Algo algo_;
    cv::Ptr<cv::optflow::DualTVL1OpticalFlow> tvl1_;
    cv::Ptr<cv::DISOpticalFlow> dis_;
};

cv::Size target_size(cv::Size s, int short_side) {
    if (s.height <= s.width) {
        int w = static_cast<int>(std::lround(static_cast<double>(s.width) * short_side / s.height));
        return {std::max(w, 1), short_side};
    }
    int h = static_cast<int>(std::lround(static_cast<double>(s.height) * short_side / s.width));
    return {short_side, std::max(h, 1)};
}

// BGR (or gray) frame -> resized gray frame.
void to_gray(const cv::Mat& frame, int short_side, cv::Mat& resized, cv::Mat& gray) {
    const cv::Size ts = target_size(frame.size(), short_side);
    const cv::Mat* src = &frame;
    if (frame.size() != ts) {
        cv::resize(frame, resized, ts, 0, 0, cv::INTER_LINEAR);
        src = &resized;
    }
    if (src->channels() == 3) cv::cvtColor(*src, gray, cv::COLOR_BGR2GRAY);
    else if (src->channels() == 4) cv::cvtColor(*src, gray, cv::COLOR_BGRA2GRAY);
    else src->copyTo(gray);
}

cv::VideoCapture open_video(const std::string& path) {
    cv::VideoCapture cap(path, cv::CAP_FFMPEG);
    if (!cap.isOpened()) throw std::runtime_error("cannot open video with the FFmpeg backend: " + path);
    return cap;
}

std::vector<cv::Mat> decode_all(const std::string& path, int short_side) {
    cv::VideoCapture cap = open_video(path);
    std::vector<cv::Mat> frames;
    cv::Mat frame, resized;
    while (cap.read(frame)) {
        if (frame.empty()) break;
        cv::Mat gray;
        to_gray(frame, short_side, resized, gray);
        frames.push_back(gray);
    }
    return frames;
}

void write_file(const fs::path& p, const std::vector<uchar>& bytes) {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!f) throw std::runtime_error("cannot write " + p.string());
}

// Full per-video job; returns the number of pairs.
long process_video(const Options& o, const std::string& path, const fs::path& dir) {
    fs::create_directories(dir);
    cv::VideoCapture cap = open_video(path);
    Flow flow_algo(o.algo, o.dis_preset);
    const std::vector<int> jpeg_params = {cv::IMWRITE_JPEG_QUALITY, 95};
    cv::Mat frame, resized, prev, cur, flow, q[2];
    cv::Mat xy[2];
    std::vector<uchar> buf;
    char name[64];
    long pairs = 0;
    bool have_prev = false;
    while (cap.read(frame)) {
        if (frame.empty()) break;
        to_gray(frame, o.short_side, resized, cur);
        if (have_prev) {
            flow = cv::Mat();  // fresh output (see header comment)
            flow_algo.calc(prev, cur, flow);
            ++pairs;
            cv::split(flow, xy);
            for (int c = 0; c < 2; ++c) {
                // saturate_cast<uchar>(v * 255/40 + 127.5): round-to-nearest-even, clipped to [0,255]
                xy[c].convertTo(q[c], CV_8U, 255.0 / 40.0, 255.0 * 20.0 / 40.0);
                if (!cv::imencode(".jpg", q[c], buf, jpeg_params)) throw std::runtime_error("imencode failed");
                std::snprintf(name, sizeof name, c == 0 ? "flow_x_%05ld.jpg" : "flow_y_%05ld.jpg", pairs);
                write_file(dir / name, buf);
            }
        }
        std::swap(prev, cur);
        have_prev = true;
    }
    return pairs;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

// cpu_secs: process CPU time (all threads) of the timed section, reported on stderr only; on a
// busy machine pairs / (cpu_secs / threads) estimates what an idle machine would reach.
void print_json(const Options& o, long pairs, double secs, double cpu_secs) {
    std::fprintf(stderr, "bare_flow: timed section: %.3f s wall, %.3f s process CPU\n", secs, cpu_secs);
    std::printf("{\"algo\":\"%s\",\"mode\":\"%s\",\"threads\":%d,\"videos\":%zu,\"pairs\":%ld,\"seconds\":%.6f,"
                "\"pairs_per_s\":%.3f}\n",
                algo_name(o.algo), o.mode == Mode::Calc ? "calc" : "full", o.threads, o.videos.size(), pairs, secs,
                secs > 0 ? pairs / secs : 0.0);
    std::fflush(stdout);
}

// Runs fn(worker_index) on n threads and rethrows the first exception.
template <class Fn>
void run_workers(int n, Fn fn) {
    std::exception_ptr first;
    std::mutex m;
    std::vector<std::thread> pool;
    pool.reserve(static_cast<std::size_t>(n));
    for (int t = 0; t < n; ++t) {
        pool.emplace_back([&, t] {
            try {
                fn(t);
            } catch (...) {
                std::lock_guard<std::mutex> lock(m);
                if (!first) first = std::current_exception();
            }
        });
    }
    for (auto& th : pool) th.join();
    if (first) std::rethrow_exception(first);
}

int run_calc(const Options& o) {
    std::vector<std::vector<cv::Mat>> frames(o.videos.size());
    struct Pair { std::size_t video; std::size_t index; };
    std::vector<Pair> pairs;
    for (std::size_t v = 0; v < o.videos.size(); ++v) {
        frames[v] = decode_all(o.videos[v], o.short_side);
        const auto& f = frames[v];
        std::fprintf(stderr, "bare_flow: %s: %zu frames, %dx%d\n", o.videos[v].c_str(), f.size(),
                     f.empty() ? 0 : f[0].cols, f.empty() ? 0 : f[0].rows);
        for (std::size_t i = 0; i + 1 < f.size(); ++i) pairs.push_back({v, i});
    }

    std::vector<std::unique_ptr<Flow>> algos;
    for (int t = 0; t < o.threads; ++t) algos.push_back(std::make_unique<Flow>(o.algo, o.dis_preset));

    std::atomic<std::size_t> next{0};
    const double c0 = process_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    run_workers(o.threads, [&](int t) {
        Flow& algo = *algos[static_cast<std::size_t>(t)];
        for (;;) {
            const std::size_t k = next.fetch_add(1, std::memory_order_relaxed);
            if (k >= pairs.size()) break;
            const auto& f = frames[pairs[k].video];
            cv::Mat flow;  // fresh output (see header comment)
            algo.calc(f[pairs[k].index], f[pairs[k].index + 1], flow);
        }
    });
    const double secs = seconds_since(t0);
    print_json(o, static_cast<long>(pairs.size()), secs, process_cpu_seconds() - c0);
    return 0;
}

int run_full(const Options& o) {
    std::set<std::string> stems;
    for (const auto& v : o.videos) {
        if (!stems.insert(fs::path(v).stem().string()).second)
            throw std::runtime_error("two videos share the stem '" + fs::path(v).stem().string() +
                                     "'; their outputs would collide under --out");
    }
    std::atomic<std::size_t> next{0};
    std::atomic<long> total_pairs{0};
    const double c0 = process_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    run_workers(o.threads, [&](int) {
        for (;;) {
            const std::size_t k = next.fetch_add(1, std::memory_order_relaxed);
            if (k >= o.videos.size()) break;
            const std::string& v = o.videos[k];
            total_pairs += process_video(o, v, fs::path(o.out) / fs::path(v).stem());
        }
    });
    const double secs = seconds_since(t0);
    print_json(o, total_pairs.load(), secs, process_cpu_seconds() - c0);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse_args(argc, argv);
    try {
        cv::setNumThreads(1);  // one OpenCV thread per worker; parallelism comes from --threads
        return o.mode == Mode::Calc ? run_calc(o) : run_full(o);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bare_flow: error: %s\n", e.what());
        return 1;
    }
}
