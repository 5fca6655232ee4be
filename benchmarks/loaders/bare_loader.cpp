// Bare OpenCV C++ loop doing the work the toolkit loader does per clip with the `rrc` recipe, the baseline for
// `toolkit bench loader` (benchmarks/loaders/run.sh): for each clip, a random 8-frame window of a rawframe folder from
// the list (SampleFrames-style offset), cv::imread of the 8 JPEGs, resize to short side 256, one RandomResizedCrop
// box per clip (area U(0.08,1), log-uniform aspect 3/4..4/3, 10 attempts, centred fallback), crop, resize 224x224,
// and normalize ((x - mean) / std, BGR -> RGB) into a planar C x T x H x W float buffer. THREADS threads, clips split
// round-robin, cv::setNumThreads(1). No queues, no batches, no tensors, no checks beyond an abort on a failed read.
// Usage: bare_loader LIST ROOT CLIPS THREADS ROUNDS  -> prints the best round's clips/s
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

struct Item { std::string dir; int frames; };

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

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: %s LIST ROOT CLIPS THREADS ROUNDS\n", argv[0]);
        return 2;
    }
    std::vector<Item> items;
    std::ifstream in(argv[1]);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ss(line);
        Item it;
        int label;
        if (ss >> it.dir >> it.frames >> label) items.push_back({std::string(argv[2]) + "/" + it.dir, it.frames});
    }
    if (items.empty()) { std::fprintf(stderr, "no items in %s\n", argv[1]); return 2; }
    int clips = std::atoi(argv[3]), threads = std::atoi(argv[4]), rounds = std::atoi(argv[5]);
    const int T = 8, S = 224;
    const float mean[3] = {123.675f, 116.28f, 103.53f}, stdv[3] = {58.395f, 57.12f, 57.375f};
    cv::setNumThreads(1);
    double best = 0;
    for (int round = 0; round <= rounds; round++) {  // round 0 warms up (and the page cache)
        auto start = std::chrono::steady_clock::now();
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; t++)
            pool.emplace_back([&, t] {
                std::mt19937_64 rng(1000 + 31 * round + t);
                std::vector<float> out(size_t(3) * T * S * S);
                for (int i = t; i < clips; i += threads) {
                    const Item& it = items[(i * 7919) % items.size()];
                    int offset = std::uniform_int_distribution<int>(0, std::max(0, it.frames - T))(rng);
                    cv::Rect box;
                    for (int f = 0; f < T; f++) {
                        char name[32];
                        std::snprintf(name, sizeof name, "/img_%05d.jpg", (offset + f) % it.frames + 1);
                        cv::Mat img = cv::imread(it.dir + name, cv::IMREAD_COLOR);
                        if (img.empty()) std::abort();
                        cv::Mat resized, final_;
                        cv::Size s = short_side(img.size(), 256);
                        cv::resize(img, resized, s, 0, 0, cv::INTER_LINEAR);
                        if (f == 0) box = rrc_box(s.width, s.height, rng);
                        cv::resize(resized(box), final_, cv::Size(S, S), 0, 0, cv::INTER_LINEAR);
                        for (int c = 0; c < 3; c++) {
                            float* plane = out.data() + (size_t(c) * T + f) * S * S;
                            int src = 2 - c;
                            for (int y = 0; y < S; y++) {
                                const uchar* row = final_.ptr<uchar>(y);
                                for (int x = 0; x < S; x++) plane[y * S + x] = (row[x * 3 + src] - mean[c]) / stdv[c];
                            }
                        }
                    }
                    if (!std::isfinite(out[out.size() / 2])) std::abort();
                }
            });
        for (auto& p : pool) p.join();
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (round > 0 && clips / s > best) best = clips / s;
    }
    std::printf("%.1f\n", best);
    return 0;
}
