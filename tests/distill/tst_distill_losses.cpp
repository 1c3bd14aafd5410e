// The distillation loss terms against values computed by hand (plain-Python evaluation of the
// formulas of ALGORITHMS.md §8, digits pasted below) on tiny tensors, padding that changes nothing,
// KL(p‖p) = 0, the T² factor, and the layer map helpers.
#include "distill/distill_losses.h"
#include "distill/layer_map.h"
#include "errors.h"
#include "test_support.h"

#include <QObject>
#include <QTest>
#include <torch/torch.h>

using namespace anatomist;

namespace {

const auto kF64 = torch::TensorOptions().dtype(torch::kFloat64);

// Two positions, three-token vocabulary.
torch::Tensor studentLogits() {
    return torch::tensor({1.0, 2.0, 0.5, 0.0, -1.0, 3.0}, kF64).view({2, 3});
}
torch::Tensor teacherLogits() {
    return torch::tensor({0.5, 1.5, 1.0, 2.0, 0.0, 1.0}, kF64).view({2, 3});
}
torch::Tensor targets() {
    return torch::tensor({1, 2}, torch::kInt64);
}

// The same two positions placed in a [2, 3] batch whose other four positions are padding with
// arbitrary (large) values.
struct Padded {
    torch::Tensor student, teacher, targets, mask;
};
Padded padded() {
    Padded p;
    p.student = torch::randn({2, 3, 3}, kF64) * 50;
    p.teacher = torch::randn({2, 3, 3}, kF64) * 50;
    p.targets = torch::zeros({2, 3}, torch::kInt64);
    p.mask = torch::zeros({2, 3}, torch::kBool);
    p.student[0][1] = studentLogits()[0];
    p.teacher[0][1] = teacherLogits()[0];
    p.targets[0][1] = 1;
    p.mask[0][1] = true;
    p.student[1][0] = studentLogits()[1];
    p.teacher[1][0] = teacherLogits()[1];
    p.targets[1][0] = 2;
    p.mask[1][0] = true;
    return p;
}

} // namespace

class TestDistillLosses : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { torch::manual_seed(5); }

    void crossEntropyMatchesHandValue() {
        const double ce =
            core::maskedCrossEntropySum(studentLogits(), targets(), {}).item<double>();
        ANATOMIST_COMPARE_NEAR(ce, 0.530252687865374, 1e-12, "CE");
        const auto p = padded();
        ANATOMIST_COMPARE_NEAR(
            core::maskedCrossEntropySum(p.student, p.targets, p.mask).item<double>(),
            0.530252687865374, 1e-12, "CE with padding");
    }

    void klKindsMatchHandValues() {
        const struct {
            core::KlKind kind;
            double expected;
        } cases[] = {{core::KlKind::Forward, 1.77711923530453},
                     {core::KlKind::Reverse, 1.67946344868529},
                     {core::KlKind::Skew, 0.149437300337194}};
        const auto p = padded();
        for (const auto& c : cases) {
            const std::string name = core::klKindName(c.kind);
            const double plain =
                core::distillKlSum(studentLogits(), teacherLogits(), {}, c.kind, 2.0, 0.3)
                    .item<double>();
            ANATOMIST_COMPARE_NEAR(plain, c.expected, 1e-12, name);
            const double masked =
                core::distillKlSum(p.student, p.teacher, p.mask, c.kind, 2.0, 0.3).item<double>();
            ANATOMIST_COMPARE_NEAR(masked, c.expected, 1e-12, name + " with padding");
        }
    }

    void skewWithLambdaOneIsForward() {
        const double skew =
            core::distillKlSum(studentLogits(), teacherLogits(), {}, core::KlKind::Skew, 2.0, 1.0)
                .item<double>();
        ANATOMIST_COMPARE_NEAR(skew, 1.77711923530453, 1e-12, "skew(λ=1)");
    }

    void temperatureScalesBySquare() {
        // KL at T of logits z equals T² × KL at 1 of logits z / T.
        const auto s = studentLogits(), t = teacherLogits();
        const double atT = core::distillKlSum(s, t, {}, core::KlKind::Forward, 3.0).item<double>();
        const double atOne =
            core::distillKlSum(s / 3.0, t / 3.0, {}, core::KlKind::Forward, 1.0).item<double>();
        ANATOMIST_COMPARE_NEAR(atT, 9.0 * atOne, 1e-12, "T² factor");
    }

    void klOfADistributionWithItselfIsZero() {
        const auto z = torch::randn({7, 11}, kF64) * 4;
        for (auto kind : {core::KlKind::Forward, core::KlKind::Reverse, core::KlKind::Skew})
            ANATOMIST_COMPARE_NEAR(core::distillKlSum(z, z, {}, kind, 2.0, 0.1).item<double>(), 0.0,
                                   1e-12, core::klKindName(kind));
    }

    void cosineDistanceMatchesHandValue() {
        // rows: cos = 8/9 and 0, so Σ (1 − cos) = 1/9 + 1
        const auto a = torch::tensor({1.0, 2.0, 2.0, 3.0, 0.0, 4.0}, kF64).view({2, 3});
        const auto b = torch::tensor({2.0, 1.0, 2.0, 0.0, 5.0, 0.0}, kF64).view({2, 3});
        ANATOMIST_COMPARE_NEAR(core::cosineDistanceSum(a, b, {}).item<double>(), 10.0 / 9.0, 1e-12,
                               "cos");
        ANATOMIST_COMPARE_NEAR(core::cosineDistanceSum(a, a * 3, {}).item<double>(), 0.0, 1e-12,
                               "parallel");
        // Padding rows of garbage change nothing.
        auto big = torch::randn({3, 3}, kF64) * 100, bigT = torch::randn({3, 3}, kF64) * 100;
        big[2] = a[0];
        bigT[2] = b[0];
        const auto mask = torch::tensor({false, false, true});
        ANATOMIST_COMPARE_NEAR(core::cosineDistanceSum(big, bigT, mask).item<double>(), 1.0 / 9.0,
                               1e-12, "masked cos");
    }

    void paddedPositionsGetNoGradient() {
        auto p = padded();
        p.student.set_requires_grad(true);
        const auto loss =
            core::maskedCrossEntropySum(p.student, p.targets, p.mask) +
            core::distillKlSum(p.student, p.teacher, p.mask, core::KlKind::Forward, 2.0);
        loss.backward();
        const auto grad = p.student.grad();
        const auto padding = p.mask.logical_not();
        QCOMPARE(grad.index({padding}).abs().max().item<double>(), 0.0);
        QVERIFY(grad.index({p.mask}).abs().max().item<double>() > 0);
    }

    void badSettingsAreRejected() {
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument, core::parseKlKind("sideways"));
        QVERIFY_THROWS_EXCEPTION(
            core::InvalidArgument,
            core::distillKlSum(studentLogits(), teacherLogits(), {}, core::KlKind::Forward, 0.0));
    }

    void layerMaps() {
        QCOMPARE(core::defaultLayerMap(4, 4), (std::vector<int>{0, 1, 2, 3}));
        QCOMPARE(core::defaultLayerMap(4, 5), (std::vector<int>{0, 1, 2, 4}));
        QCOMPARE(core::defaultLayerMap(2, 6), (std::vector<int>{2, 5}));
        QVERIFY(core::defaultLayerMap(6, 5).empty());
        core::checkLayerMap({0, 1, 3, 4}, 4, 5, "test");
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument,
                                 core::checkLayerMap({0, 1, 3}, 4, 5, "test"));
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument,
                                 core::checkLayerMap({0, 1, 3, 5}, 4, 5, "test"));
        QVERIFY_THROWS_EXCEPTION(core::InvalidArgument,
                                 core::checkLayerMap({0, 2, 1, 3}, 4, 5, "test"));

        test::TempDir dir;
        QVERIFY(!core::readVariantKeptLayers(dir.path()).has_value());
        test::writeText(
            dir / "variant.json",
            R"({"format":"anatomist-variant","version":1,"base":{"path":"b","sha256":"x",)"
            R"("parameters":1234},"plan":{"remove":[2]},"kept_layers":[0,1,3,4],)"
            R"("parameters":{"before":1234,"after":1000},"future_key":{}})");
        QCOMPARE(*core::readVariantKeptLayers(dir.path()), (std::vector<int>{0, 1, 3, 4}));
        QCOMPARE(*core::readVariantBaseParameters(dir.path()), 1234LL);
        test::writeText(dir / "variant.json", R"({"kept_layers":[0,"one"]})");
        QVERIFY_THROWS_EXCEPTION(core::FormatError, core::readVariantKeptLayers(dir.path()));
        test::writeText(dir / "variant.json", R"({"format":"anatomist-variant"})");
        QVERIFY(!core::readVariantKeptLayers(dir.path()).has_value());
    }

    void fusedCeAndKlEqualTheSeparateTerms() {
        // Values and gradients of the fused pass against the separate autograd terms, and the
        // gradient against its closed form T·(softmax(s/T) − softmax(t/T)) + softmax(s) − onehot.
        torch::manual_seed(3);
        const auto t = torch::randn({5, 7}, kF64) * 2;
        const auto y = torch::tensor({0, 6, 3, 3, 1}, torch::kInt64);
        for (const double T : {1.0, 2.0, 0.7}) {
            const auto base = torch::randn({5, 7}, kF64) * 2;
            const auto a = base.clone().requires_grad_(true), b = base.clone().requires_grad_(true);
            const auto [ce, kl] = core::crossEntropyAndForwardKlSums(a, t, y, T);
            const auto ceRef = core::maskedCrossEntropySum(b, y, {});
            const auto klRef = core::distillKlSum(b, t, {}, core::KlKind::Forward, T);
            ANATOMIST_COMPARE_NEAR(ce.item<double>(), ceRef.item<double>(), 1e-12, "ce");
            ANATOMIST_COMPARE_NEAR(kl.item<double>(), klRef.item<double>(), 1e-12, "kl");
            (0.3 * ce + 0.9 * kl).backward();
            (0.3 * ceRef + 0.9 * klRef).backward();
            QVERIFY(torch::allclose(a.grad(), b.grad(), 1e-12, 1e-12));
            const auto closed =
                0.3 * (torch::softmax(base, -1) - torch::one_hot(y, 7).to(torch::kFloat64)) +
                0.9 * T * (torch::softmax(base / T, -1) - torch::softmax(t / T, -1));
            QVERIFY(torch::allclose(a.grad(), closed, 1e-12, 1e-12));
        }
    }
};

QTEST_GUILESS_MAIN(TestDistillLosses)
#include "tst_distill_losses.moc"
