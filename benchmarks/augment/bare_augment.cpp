// Bare OpenCV C++ loop doing the work of the `rrc` and `rescale` recipes on 8-frame 340x256 clips, one clip after
// another on each of THREADS threads: the baseline for benchmarks/augment/AugmentBench (same ops, same sizes, same
// parameter distributions, cv::setNumThreads(1) like the C# side). No pipeline, no records, no checks.
//   rrc:     resize to short side 256 (keep ratio) -> RandomResizedCrop box (area U(0.08,1), log-uniform aspect
//            3/4..4/3, 10 attempts, clamped centred fallback) -> copy of the crop -> resize 224x224
//   rescale: short side uniform in [256, 320] -> resize -> random 224x224 crop (copied)
// Usage: bare_augment rrc|rescale CLIPS THREADS ROUNDS   -> prints the best round's clips/s
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

using Clip = std::vector<cv::Mat>;

static cv::Size short_side(cv::Size s, int side) {
    double k = double(side) / std::min(s.width, s.height);
    return cv::Size(int(s.width * k + 0.5), int(s.height * k + 0.5));
}

static cv::Rect rrc_box(int W, int H, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> area(0.08, 1.0), logr(std::log(3.0 / 4), std::log(4.0 / 3));
    for (int i = 0; i < 10; i++) {
        double target = double(W) * H * area(rng), r = std::exp(logr(rng));
        int w = int(std::lround(std::sqrt(target * r))), h = int(std::lround(std::sqrt(target / r)));
        if (w > 0 && h > 0 && w <= W && h <= H) {
            int x = std::uniform_int_distribution<int>(0, W - w)(rng);
            int y = std::uniform_int_distribution<int>(0, H - h)(rng);
            return cv::Rect(x, y, w, h);
        }
    }
    double ratio = double(W) / H;
    int w = W, h = H;
    if (ratio < 0.75) h = std::min(H, int(std::lround(W / 0.75)));
    else if (ratio > 4.0 / 3) w = std::min(W, int(std::lround(H * 4.0 / 3)));
    return cv::Rect((W - w) / 2, (H - h) / 2, w, h);
}

static Clip rrc(const Clip& in, std::mt19937_64& rng) {
    Clip out;
    cv::Size s = short_side(in[0].size(), 256);
    cv::Rect box = rrc_box(s.width, s.height, rng);
    for (const auto& f : in) {
        cv::Mat resized, cropped, final_;
        cv::resize(f, resized, s, 0, 0, cv::INTER_LINEAR);
        cropped = resized(box).clone();
        cv::resize(cropped, final_, cv::Size(224, 224), 0, 0, cv::INTER_LINEAR);
        out.push_back(final_);
    }
    return out;
}

static Clip rescale(const Clip& in, std::mt19937_64& rng) {
    Clip out;
    int side = std::uniform_int_distribution<int>(256, 320)(rng);
    cv::Size s = short_side(in[0].size(), side);
    int x = std::uniform_int_distribution<int>(0, s.width - 224)(rng);
    int y = std::uniform_int_distribution<int>(0, s.height - 224)(rng);
    for (const auto& f : in) {
        cv::Mat resized;
        cv::resize(f, resized, s, 0, 0, cv::INTER_LINEAR);
        out.push_back(resized(cv::Rect(x, y, 224, 224)).clone());
    }
    return out;
}

int main(int argc, char** argv) {
    if (argc != 5 || (std::strcmp(argv[1], "rrc") && std::strcmp(argv[1], "rescale"))) {
        std::fprintf(stderr, "usage: %s rrc|rescale CLIPS THREADS ROUNDS\n", argv[0]);
        return 2;
    }
    bool is_rrc = !std::strcmp(argv[1], "rrc");
    int clips = std::atoi(argv[2]), threads = std::atoi(argv[3]), rounds = std::atoi(argv[4]);
    cv::setNumThreads(1);
    cv::theRNG().state = 1;
    std::vector<Clip> inputs(16);
    for (auto& c : inputs)
        for (int t = 0; t < 8; t++) {
            cv::Mat m(256, 340, CV_8UC3);
            cv::randu(m, 0, 255);
            c.push_back(m);
        }
    double best = 0;
    for (int round = 0; round <= rounds; round++) {  // round 0 warms up
        auto start = std::chrono::steady_clock::now();
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; t++)
            pool.emplace_back([&, t] {
                std::mt19937_64 rng(1000 + t);
                for (int i = t; i < clips; i += threads) {
                    Clip out = is_rrc ? rrc(inputs[i % inputs.size()], rng) : rescale(inputs[i % inputs.size()], rng);
                    if (out.size() != 8) std::abort();
                }
            });
        for (auto& p : pool) p.join();
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (round > 0 && clips / s > best) best = clips / s;
    }
    std::printf("%.1f\n", best);
    return 0;
}
