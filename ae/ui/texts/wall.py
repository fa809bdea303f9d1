"""Texts of the latent-wall page: the wall, picking a point, the three defects, the book's
random samples, continuity, the decoded grid and the wall over time (the defect panels' texts
are in `wall_defects`)."""

TEXTS = {
    "wall.title": ("The latent wall", "潜在空间之墙"),
    "wall.intro": (
        "Every test image leaves one mark on N.Coder's wall. Pick any spot and D.Coder paints "
        "what lives there, then see, in numbers, the three defects that make this wall a poor "
        "place to paint *new* digits from.",
        "每张测试图像都在 N.Coder 的墙上留下一个标记。点选墙上任意位置，D.Coder 就会画出那里的画；"
        "然后用数字看看三个缺陷：正是它们让这面墙很难用来画出*新的*数字。"),
    # -- the wall and picking ---------------------------------------------------------------
    "wall.h.wall": ("The wall: {n:,} test images, one mark each",
                    "这面墙：{n:,} 张测试图像，每张一个标记"),
    "wall.color": ("Colour the marks by digit", "按数字给标记上色"),
    "wall.color.help": ("Off: all black, like the book's first plot. On: one colour and one "
                        "marker shape per digit; click a digit in the legend to hide it.",
                        "关闭：全部黑色，和书中第一张图一样。打开：每个数字一种颜色和形状；"
                        "点击图例中的数字可以隐藏它。"),
    "wall.show_samples": ("Show the {n} red random points", "显示 {n} 个红色随机点"),
    "wall.how": (
        "**Pick a point:** click a mark to see that test image repainted · click one of the "
        "faint grey squares to paint an empty spot · or choose *Box select* in the chart's "
        "toolbar and draw a small box: its centre is painted. The sliders do the same "
        "without a mouse.",
        "**选一个点**：点击一个标记，看那张测试图像被重"
        "新画出来 · 点击淡灰色的小方块，在空白处作画 · "
        "或者在图表工具栏中选择*框选*，画一个小框：画的是框的中心。下面的滑块不用鼠标也能做到。"),
    "wall.pca": (
        "This model's wall has {z} dimensions, which no screen can show. You see its shadow on "
        "the two directions along which the marks spread most (PCA); a picked point is painted "
        "on that plane.",
        "这个模型的墙有 {z} 个维度，屏幕画不出来。你看到的是它在标记分布最广的两个方向上的投影"
        "（主成分分析 PCA）；选中的点在这个平面上作画。"),
    "wall.one_d": ("This model's wall is a line (z_dim = 1): only x matters.",
                   "这个模型的墙是一条线（z_dim = 1）：只有 x 有意义。"),
    "wall.x": ("x (z₁)", "x（z₁）"),
    "wall.y": ("y (z₂)", "y（z₂）"),
    "wall.x.pca": ("PCA 1", "主成分 1"),
    "wall.y.pca": ("PCA 2", "主成分 2"),
    "wall.pick.h": ("D.Coder paints {pt}", "D.Coder 在 {pt} 作画"),
    "wall.pick.code": ("Test image {index}, a **{digit}**, is pinned here. Left: the "
                       "original; right: what D.Coder paints from its mark.",
                       "第 {index} 张测试图像（一个 **{digit}**）钉在这里。左：原图；"
                       "右：D.Coder 根据标记画出的图。"),
    "wall.pick.original": ("original", "原图"),
    "wall.pick.painted": ("painted", "画出的"),
    "wall.pick.kind.grid": ("A free spot of the wall, picked on the grid.",
                            "墙上的一个空位，在网格上选中。"),
    "wall.pick.kind.box": ("The centre of your box.", "你画的框的中心。"),
    "wall.pick.kind.sample": ("Red random point {index}.", "第 {index} 个红色随机点。"),
    "wall.pick.kind.cell": ("A cell of the {g} × {g} grid below.", "下方 {g} × {g} 网格中的一格。"),
    "wall.pick.kind.slider": ("A point set with the sliders.", "用滑块设定的点。"),
    "wall.pick.near": ("Nearest mark: a **{digit}**, {dist} away, about {times:.0f} × the "
                       "usual distance between neighbouring marks.",
                       "最近的标记：一个 **{digit}**，距离 {dist}，"
                       "约为相邻标记通常间距的 {times:.0f} 倍。"),
    "wall.pick.gap": ("No mark within {radius}: this spot is in a **gap**; D.Coder never "
                      "practised here.",
                      "{radius} 以内没有任何标记："
                      "这里是一处**空隙**，D.Coder 从没在这里练习过。"),
    "wall.pick.clf": ("The digit classifier reads it as a **{pred}** ({conf:.0%} sure).",
                      "数字分类器认为它是 **{pred}**（把握 {conf:.0%}）。"),
    "wall.pick.sliders": ("Set the point by hand", "手动设定这个点"),
    "wall.spread.title": ("The patch of test image {index}", "测试图像 {index} 的区域"),
    "wall.spread.k": ("{k} σ", "{k} σ"),
    "wall.spread.caption": (
        "A variational autoencoder's N.Coder pins a small fuzzy patch, not a point: centre "
        "mu = {mu} (the mark on the wall), spread σ = ({sx}, {sy}) along z₁ and z₂. The inner "
        "ellipse reaches 1 σ, the dashed one 2 σ; in training, the mark is drawn at random "
        "from this patch, so D.Coder learns to paint the whole patch, not one point.",
        "变分自编码器的 N.Coder 钉下的不是一个点，而是一小块模糊的区域：中心 mu = {mu}（墙上的"
        "标记），沿 z₁ 和 z₂ 的大小 σ = ({sx}, {sy})。内圈椭圆到 1 σ，虚线椭圆到 2 σ；训练时标记是"
        "从这块区域里随机抽出来的，所以 D.Coder 学会的是画好整块区域，而不只是一个点。"),
    "wall.spread.pca": (
        "This variational autoencoder's latent space does not have exactly two numbers: its "
        "patches are drawn only on a two-number wall.",
        "这个变分自编码器的潜在空间不是恰好两个数：它的区域只画在两个数的墙上。"),
    "wall.defects.vae": (
        "The model in play is a variational autoencoder. The three defects are measured the "
        "same way as for the autoencoder; the texts describe what an autoencoder's wall shows, "
        "and the numbers say how far this wall has each defect.",
        "当前模型是一个变分自编码器。三个缺陷的测量方法和自编码器的一样；文字描述的是自编码器的墙"
        "的样子，数字则说明这面墙在多大程度上有每个缺陷。"),
    "wall.samples.vae": (
        "A variational autoencoder is meant to be sampled from N(0, I), the standard normal "
        "its KL term pulls the patches towards (the Generation page does that). Here the "
        "points stay uniform in the box of the marks, the book's autoencoder experiment, so "
        "the two kinds can be compared on the same test.",
        "变分自编码器本应从 N(0, I) 抽样，也就是它的 KL 项把各个区域拉向的标准正态分布"
        "（“生成”页就是这样做的）。这里的点仍然在标记所在的方框内均匀抽取，也就是书中对自编码器做的"
        "实验，这样两种模型可以在同一个测试上比较。"),
    "wall.grid.vae": (
        "The book's analysis of its variational autoencoder spans the grid over the standard "
        "normal's quantiles 0.01 to 0.99 instead: the Generation page shows that grid for a "
        "two-number latent space.",
        "书中分析变分自编码器时，网格改为取标准正态分布 0.01 到 0.99 的分位点："
        "潜在空间是两个数时，“生成”页展示了那个网格。"),
    # -- the three defects ------------------------------------------------------------------
    "wall.part.pick": ("Look closer at the wall", "仔细看这面墙"),
    "wall.part.defects": ("① The three defects", "① 三个缺陷"),
    "wall.part.samples": ("② {n} random points", "② {n} 个随机点"),
    "wall.part.cont": ("③ Continuity", "③ 连续性"),
    "wall.part.grid": ("④ The {g} × {g} grid", "④ {g} × {g} 网格"),
    "wall.part.time": ("⑤ During training", "⑤ 训练过程中"),
    "wall.h.samples": ("The book's experiment: {n} random points", "书中的实验：{n} 个随机点"),
    "wall.samples.text": (
        "As in the book: {n} points drawn uniformly between the smallest and largest x and y "
        "of the marks (the red points on the wall), and what D.Coder paints at each. Click a "
        "picture to pick its point on the wall.",
        "和书中一样：在标记的 x、y 最小值与最大值之间均匀地取 {n} 个点（墙上的红点），"
        "看看 D.Coder 在每个点画了什么。点击一张图，就能在墙上选中它的位置。"),
    "wall.samples.resample": ("New random points", "换一组随机点"),
    "wall.samples.seed": ("random seed {seed}", "随机种子 {seed}"),
    "wall.rec.h": ("How many of them are digits?", "其中有多少是数字？"),
    "wall.rec.random": ("random points recognisable", "可辨认的随机点"),
    "wall.rec.recons": ("reconstructed test images recognisable", "可辨认的测试图像重建"),
    "wall.rec.these": ("of these {n} recognisable", "这 {n} 个中可辨认的"),
    "wall.rec.help": ("A small classifier trained on real digits names the picture with at "
                      "least {thr:.0%} confidence. Measured on {n:,} pictures.",
                      "一个在真实数字上训练的小分类器，以至少 {thr:.0%} 的把握认出这个数字。"
                      "在 {n:,} 张图上测得。"),
    "wall.rec.text.more": (
        "Paintings made from marks that N.Coder really pinned are read as digits more often "
        "than paintings made at random spots: random points land in big areas, in gaps and "
        "between digits.",
        "由 N.Coder 真正钉下的标记画出的画，比在随机位置画出的画更常被认成数字："
        "随机点会落在大面积的数字区、空隙里，或者两个数字之间。"),
    "wall.rec.text.less": (
        "Here even the marks N.Coder really pinned are not painted much better than random "
        "spots: this model's reconstructions are still poor (train it longer), so the wall's "
        "defects are not yet what limits it.",
        "这里即使是 N.Coder 真正钉下的标记，画出来也不比随机位置好多少：这个模型的重建本身还很差"
        "（再多训练一会儿），所以目前限制它的还不是墙的缺陷。"),
    "wall.rec.per_digit": ("What {n:,} random points were recognised as: {per}",
                           "{n:,} 个随机点被认成的数字：{per}"),
    "wall.nonfinite": ("This model's marks are not finite numbers (did its training diverge?), "
                       "so there is no wall to draw. Pick another model in the sidebar or train "
                       "again with a smaller learning rate.",
                       "这个模型的标记不是有限的数（训练是否发散了？），所以画不出这面墙。"
                       "请在侧边栏选择另一个模型，或者用更小的学习率重新训练。"),
    "wall.rec.none": ("No digit classifier ships with this copy of the app "
                      "(assets/classifier.pt), so the pictures cannot be scored. Make one with "
                      "`python -m ae train-classifier` (a few minutes on a CPU).",
                      "这份应用没有附带数字分类器（assets/classifier.pt），所以无法给这些图打分。"
                      "可以运行 `python -m ae train-classifier` 训练一个（在 CPU 上几分钟）。"),
    "wall.rec.error": ("The digit classifier could not score these pictures: {msg}",
                       "数字分类器无法给这些图打分：{msg}"),
    # -- continuity ---------------------------------------------------------------------------
    "wall.h.cont": ("Is the wall continuous?", "这面墙是连续的吗？"),
    "wall.cont.text": (
        "If (2, -2) paints a good digit, must (2.1, -2.1) paint a similar one? Nothing in "
        "training asks for it: the loss only looks at the marks that were pinned, never at the "
        "wall between them. Compare any two points.",
        "如果 (2, -2) 能画出一个好数字，"
        "(2.1, -2.1) 就一定能画出相似的数字吗？训练中没有任何东西要求这一点："
        "损失只看钉下的标记，从不看标记之间的墙面。比较任意两个点试试。"),
    "wall.cont.a": ("point A", "点 A"),
    "wall.cont.b": ("point B", "点 B"),
    "wall.cont.book": ("The book's pair", "书中的两个点"),
    "wall.cont.picked": ("A = the picked point, B = a small step away",
                         "A = 选中的点，B = 走一小步"),
    "wall.cont.mse": ("picture difference (MSE)", "两图差异（均方误差）"),
    "wall.cont.max": ("largest pixel change", "单个像素最大变化"),
    "wall.cont.changed": ("pixels that change a lot", "变化很大的像素"),
    "wall.cont.changed.help": ("Share of pixels whose value moves by more than a quarter of "
                               "the way from white to black.",
                               "数值变化超过从白到黑四分之一的像素所占比例。"),
    "wall.cont.dist": ("distance A to B", "A 到 B 的距离"),
    "wall.cont.profile": ("Walking from A to B in 20 equal steps: a spike shows where the "
                          "picture jumps from one thing to another.",
                          "从 A 到 B 走 20 等步：尖峰表示图像在那里从一样东西突然变成另一样东西。"),
    "wall.cont.pca": ("The coordinates are on the PCA picture of the wall.",
                      "这些坐标是在墙的 PCA 投影图上的坐标。"),
    # -- the 20 x 20 grid ---------------------------------------------------------------------
    "wall.h.grid": ("The whole wall painted: a {g} × {g} grid", "把整面墙画出来：{g} × {g} 网格"),
    "wall.grid.text": (
        "The book decodes a {g} × {g} grid spanning the box of the marks, top row = largest y. "
        "Each picture is what D.Coder paints at that spot; compare it with the wall above. "
        "Click a picture to pick its point on the wall.",
        "书中在标记所在的方框内解码了一个 {g} × {g} 的网格，最上面一行是最大的 y。"
        "每张图就是 D.Coder 在那个位置画出的画；"
        "和上面的墙对照着看。点击一张图，就能在墙上选中它的位置。"),
    # -- the wall over time -------------------------------------------------------------------
    "wall.h.time": ("How the wall formed during training", "训练中这面墙是怎样形成的"),
    "wall.time.text": (
        "The marks of {p:,} fixed test images, recorded {t} times while this model trained. "
        "Drag the slider to watch N.Coder find places for them.",
        "{p:,} 张固定测试图像的标记，在这个模型训练时记录了 {t} 次。"
        "拖动滑块，看 N.Coder 如何为它们找到位置。"),
    "wall.time.frame": ("moment in training", "训练进程"),
    "wall.time.fmt": ("epoch {epoch} · step {step:,}", "第 {epoch} 轮 · 第 {step:,} 步"),
    "wall.time.none": (
        "This model has no snapshots of its wall during training. Train a model on the "
        "Training page (it records the wall as it learns), or from the command line with "
        "`python -m ae train --snapshots 1000`, then upload the checkpoint.",
        "这个模型没有训练过程中墙的快照。请到“训练”页训练一个模型（训练时会记录墙的变化），"
        "或者在命令行运行 `python -m ae train --snapshots 1000`，再上传得到的检查点。"),
    "wall.time.bad": ("The snapshots stored with this model cannot be shown: {msg}",
                      "这个模型保存的快照无法显示：{msg}"),
    # -- texts inside the figures (keys of ae.plots.TEXTS; {fields} are filled by the builder)
    "wall.plot.latent.title": ("The wall: the test set encoded", "这面墙：编码后的测试集"),
    "wall.plot.latent.x_title": ("z₁", "z₁"),
    "wall.plot.latent.y_title": ("z₂", "z₂"),
    "wall.plot.latent.digit": ("digit", "数字"),
    "wall.plot.latent.index": ("test image", "测试图像"),
    "wall.plot.latent.samples": ("random points", "随机点"),
    "wall.plot.latent.sample": ("random point", "随机点"),
    "wall.plot.latent.grid": ("pickable grid", "可点选的网格"),
    "wall.plot.latent.picked": ("picked point", "选中的点"),
    "wall.plot.area.title": ("Share of the wall and of random points, per digit",
                             "每个数字的墙面份额和随机点份额"),
    "wall.plot.area.cell_share": ("share of the wall", "墙面份额"),
    "wall.plot.area.sample_share": ("share of random points", "随机点份额"),
    "wall.plot.area.equal": ("equal share", "平均份额"),
    "wall.plot.area.x_title": ("digit", "数字"),
    "wall.plot.area.y_title": ("share", "份额"),
    "wall.plot.area_map.title": ("Who owns each part of the wall", "墙的每一块归谁"),
    "wall.plot.area_map.x_title": ("z₁", "z₁"),
    "wall.plot.area_map.y_title": ("z₂", "z₂"),
    "wall.plot.area_map.digit": ("digit", "数字"),
    "wall.plot.area_map.empty": ("no mark", "没有标记"),
    "wall.plot.symmetry.title": ("Not centred, not bounded", "不对称，也没有边界"),
    "wall.plot.symmetry.subtitle": ("centroid ({cx}, {cy}) · {far:.1%} of marks beyond "
                                    "3 spreads",
                                    "质心 ({cx}, {cy}) · {far:.1%} 的标记超出 3 个标准差"),
    "wall.plot.symmetry.centroid": ("centroid", "质心"),
    "wall.plot.symmetry.box": ("min / max", "最小 / 最大"),
    "wall.plot.symmetry.spread": ("{k} × spread", "{k} 倍标准差"),
    "wall.plot.symmetry.x_title": ("z₁", "z₁"),
    "wall.plot.symmetry.y_title": ("z₂", "z₂"),
    "wall.plot.gaps.title": ("Gaps: {gap_share:.0%} of random points land in one",
                             "空隙：{gap_share:.0%} 的随机点落在空隙里"),
    "wall.plot.gaps.subtitle": ("shaded: no mark nearby · usual spacing of the marks "
                                "{spacing}",
                                "阴影：附近没有标记 · 标记的通常间距 {spacing}"),
    "wall.plot.gaps.gap": ("gap", "空隙"),
    "wall.plot.gaps.in_gap": ("random points in a gap", "落在空隙中的随机点"),
    "wall.plot.gaps.near": ("random points near a mark", "靠近标记的随机点"),
    "wall.plot.gaps.x_title": ("z₁", "z₁"),
    "wall.plot.gaps.y_title": ("z₂", "z₂"),
    "wall.plot.samples.title": ("The red points, painted", "红点处画出的画"),
    "wall.plot.samples.hover": ("random point {i}<br>{point}", "第 {i} 个随机点<br>{point}"),
    "wall.plot.manifold.title": ("What D.Coder paints everywhere on the wall",
                                 "D.Coder 在墙上各处画出的画"),
    "wall.plot.manifold.subtitle": ("x from {xmin} to {xmax} (left to right), "
                                    "y from {ymax} to {ymin} (top to bottom)",
                                    "x 从 {xmin} 到 {xmax}（从左到右），"
                                    "y 从 {ymax} 到 {ymin}（从上到下）"),
    "wall.plot.manifold.hover": ("({x}, {y})", "({x}, {y})"),
    "wall.plot.continuity.title": ("A small step on the wall: {a} → {b}",
                                   "在墙上走一小步：{a} → {b}"),
    "wall.plot.continuity.subtitle": ("MSE {mse} · largest change {max_abs} · "
                                      "{changed:.0%} of pixels change a lot",
                                      "均方误差 {mse} · 最大变化 {max_abs} · "
                                      "{changed:.0%} 的像素变化很大"),
    "wall.plot.continuity.difference": ("difference", "差异"),
    "wall.plot.continuity_profile.title": ("Where the picture jumps on the way from {a} to {b}",
                                           "从 {a} 到 {b} 的路上，图像在哪里突变"),
    "wall.plot.continuity_profile.subtitle": ("biggest change between pictures {i} and {j}: "
                                              "MSE {jump}",
                                              "最大的变化在第 {i} 和第 {j} 张图之间："
                                              "均方误差 {jump}"),
    "wall.plot.continuity_profile.flat": ("no jump: every step changes the picture about as "
                                          "much as the others (at most MSE {jump})",
                                          "没有突变：每一步图像的变化都差不多"
                                          "（最大也只有均方误差 {jump}）"),
    "wall.plot.continuity_profile.still": ("no jump: each step changes the picture by next to "
                                           "nothing (MSE {jump} at most)",
                                           "没有突变：每走一步，图像的变化都微乎其微"
                                           "（均方误差最多 {jump}）"),
    "wall.plot.continuity_profile.x_title": ("position on the line (0 = A, 1 = B)",
                                             "在线段上的位置（0 = A，1 = B）"),
    "wall.plot.continuity_profile.y_title": ("change (MSE)", "变化（均方误差）"),
    "wall.plot.continuity_profile.step": ("change", "变化"),
    "wall.plot.continuity_profile.jump": ("biggest jump", "最大突变"),
    "wall.plot.continuity_profile.image": ("picture", "图"),
    "wall.plot.wall_frame.title": ("The wall at step {step:,} (epoch {epoch})",
                                   "第 {step:,} 步（第 {epoch} 轮）时的墙"),
    "wall.plot.wall_frame.title_no_step": ("The wall, frame {frame} of {frames}",
                                           "这面墙，第 {frame} / {frames} 帧"),
    "wall.plot.wall_frame.pca": ("PCA 1/2", "PCA 1/2"),
}
