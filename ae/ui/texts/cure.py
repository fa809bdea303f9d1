"""Texts of the cure page: the VAE beside the autoencoder, every defect measured on both."""

_ROWS = {  # a defect number: ((its name), (what a VAE win on it means)), English and Chinese
    "area_ratio": (
        ("uneven areas: largest / smallest digit's share",
         "面积不均：最大 / 最小数字所占比例"),
        ("The VAE's wall is more even",
         "VAE 的墙更均匀")),
    "centre_offset": (
        ("centre's distance from (0, 0), in spreads",
         "中心离 (0, 0) 的距离（以离散度计）"),
        ("The VAE's wall is better centred",
         "VAE 的墙更居中")),
    "beyond_3": (
        ("marks beyond 3 spreads",
         "超出 3 个离散度的标记"),
        ("Fewer stragglers on the VAE's wall",
         "VAE 的墙上离群的标记更少")),
    "kl_fit": (
        ("KL of the codes' fitted Gaussian from N(0, I)",
         "编码拟合出的高斯分布与 N(0, I) 的 KL 散度"),
        ("The VAE's codes are closer to N(0, I)",
         "VAE 的编码更接近 N(0, I)")),
    "gap_share": (
        ("random samples in a gap",
         "落在空隙里的随机样本"),
        ("Fewer gaps on the VAE's wall",
         "VAE 的墙上空隙更少")),
    "native_recognised": (
        ("own samples recognised",
         "按自己的方式采样：被认出的比例"),
        ("More of the VAE's own samples are recognisable digits",
         "VAE 自己的样本中可辨认的数字更多")),
    "native_evenness": (
        ("own samples: evenness over the ten digits",
         "按自己的方式采样：十个数字的均匀度"),
        ("The VAE's own samples cover the ten digits more evenly",
         "VAE 自己的样本更均匀地覆盖十个数字")),
    "normal_recognised": (
        ("samples from N(0, I) recognised",
         "从 N(0, I) 采样：被认出的比例"),
        ("From the same N(0, I), more of the VAE's pictures are digits",
         "同样从 N(0, I) 采样，VAE 画出的数字更多")),
    "normal_evenness": (
        ("samples from N(0, I): evenness",
         "从 N(0, I) 采样：均匀度"),
        ("From the same N(0, I), the VAE's digits are more evenly spread",
         "同样从 N(0, I) 采样，VAE 画出的数字分布更均匀")),
    "step_change": (
        ("change of the picture for a short step (MSE)",
         "走一小步时图像的变化（均方误差）"),
        ("A short step changes the VAE's picture less",
         "走一小步，VAE 的图像变化更小")),
    "line_jump": (
        ("biggest change in one step along a line between two test digits (MSE)",
         "在两张测试数字之间的直线上，一步之内最大的图像变化（均方误差）"),
        ("Along a line, the VAE's pictures jump less",
         "沿着直线走，VAE 的图像跳变更小")),
}

TEXTS = {
    "nav.cure": ("The cure: a VAE", "解药：变分自编码器"),
    "cure.title": ("The cure: a variational autoencoder", "解药：变分自编码器"),
    "cure.intro": (
        "The wall had three defects: uneven areas, no centre and no edge, and gaps. The book's "
        "answer is the **variational autoencoder** (VAE). N.Coder now pins a small fuzzy "
        "**patch** for each painting, not a point, and he is fined for every patch that sits "
        "far from the centre of the wall or is too small: that fine is the **KL term** of the "
        "loss. D.Coder repaints from a random spot inside the patch, so the spots around each "
        "mark must paint something sensible too. Here are the same data, the same seed and the "
        "same network body, trained both ways, and the same numbers for each defect.",
        "之前的墙有三个缺陷：面积不均、没有中心也没有边界、有空隙。书中的解药是**变分自编码器**"
        "（VAE）。现在 N.Coder 为每幅画钉下的不再是一个点，而是一小块模糊的**斑块**；斑块离墙的中心"
        "太远或者太小，他都要被罚款：这笔罚款就是损失中的 **KL 项**。D.Coder 从斑块里随机的一处"
        "重画，所以每个标记周围的位置也必须画出像样的东西。下面用同样的数据、同样的随机种子、同样"
        "的网络主体分别训练两种模型，对每个缺陷给出同样的数字。"),
    "cure.pick.ae": ("Autoencoder", "自编码器"),
    "cure.pick.vae": ("Variational autoencoder", "变分自编码器"),
    "cure.model.book": ("Book recipe (1,000 images, 200 epochs)", "书中配方（1,000 张图，200 轮）"),
    "cure.model.full": ("Full data (60,000 images)", "全部数据（60,000 张图）"),
    "cure.model.vae_book": ("VAE, book recipe (1,000 images, 200 epochs)",
                            "VAE，书中配方（1,000 张图，200 轮）"),
    "cure.model.vae_full": ("VAE, full data (60,000 images)", "VAE，全部数据（60,000 张图）"),
    "cure.model.fashion_2nd": ("2nd edition: Fashion-MNIST, 3 epochs",
                               "第二版：Fashion-MNIST，3 轮"),
    "cure.model.vae_fashion_2nd": ("VAE, 2nd edition: Fashion-MNIST, 5 epochs",
                                   "VAE，第二版：Fashion-MNIST，5 轮"),
    "cure.model.trained": ("Trained here", "在这里训练的"),
    "cure.model.trained_vae": ("VAE trained here", "在这里训练的 VAE"),
    "cure.model.upload": ("Uploaded", "上传的"),
    "cure.model.untrained": ("Untrained (random weights)", "未训练（随机权重）"),
    "cure.no_vae": (
        "**No variational autoencoder yet.** None is shipped with this server and none was "
        "trained or uploaded in this tab. Train one below with the r_loss_factor slider (a "
        "minute or two on a busy 2-core CPU), then this page compares it with the autoencoder.",
        "**还没有变分自编码器。**这台服务器没有附带，这个标签页里也没有训练或上传过。用下面的 "
        "r_loss_factor 滑块训练一个（在繁忙的双核 CPU 上需要一两分钟），"
        "之后本页就会把它和自编码器比较。"),
    "cure.no_ae": ("No autoencoder to compare with: pick or train one on the Training page.",
                   "没有可以比较的自编码器：请在“训练”页面选择或训练一个。"),
    "cure.measuring": ("Measuring every defect on the test set (once per model)...",
                       "正在测试集上测量每个缺陷（每个模型只算一次）……"),
    "cure.h.walls": ("Two walls", "两面墙"),
    "cure.walls.text": (
        "Every test image's mark, for each model (the VAE's mark is the centre of its patch, "
        "`mu`). Both panels share their axes and colours, so a wall that is twice as wide looks "
        "twice as wide. Click a digit in the legend to hide it on both.",
        "每个模型上每张测试图的标记（VAE 的标记是它斑块的中心 `mu`）。两幅图的坐标轴和颜色相同，"
        "所以宽一倍的墙看起来就宽一倍。点击图例中的数字可以在两幅图上同时隐藏它。"),
    "cure.walls.sigma": ("The VAE's patches: mean spread σ = {sigma} per axis; its marks spread "
                         "{std} per axis.",
                         "VAE 的斑块：每个坐标轴上的平均离散度 σ = {sigma}；"
                         "它的标记在每个坐标轴上的离散度为 {std}。"),
    "cure.plot.walls.title": ("Two walls, same axes, same colours", "两面墙，同样的坐标轴和颜色"),
    "cure.plot.walls.left": ("autoencoder", "自编码器"),
    "cure.plot.walls.right": ("variational autoencoder (mu)", "变分自编码器（mu）"),
    "cure.plot.walls.missing": ("no VAE yet", "还没有 VAE"),
    "cure.plot.walls.digit": ("digit", "数字"),
    "cure.plot.walls.index": ("test image", "测试图"),
    "cure.h.table": ("Every defect, measured on both", "每个缺陷，两个模型都量一遍"),
    "cure.table.text": (
        "The same measurements on the 10,000 test images for both models (defects 1 to 3 as on "
        "the wall page; generation scored by the digit classifier; continuity along a short "
        "step and along lines between test digits). The verdict comes from the numbers: where "
        "the VAE does not do better, the row says so.",
        "两个模型用同样的方法在 10,000 张测试图上测量（缺陷 1 到 3 与“潜在空间之墙”页面相同；生成"
        "由数字分类器打分；连续性看走一小步和沿着两个测试数字之间的直线走）。结论由数字决定：VAE "
        "没有做得更好的地方，这一行就会直说。"),
    "cure.col.defect": ("measure", "度量"),
    "cure.col.ae": ("autoencoder", "自编码器"),
    "cure.col.vae": ("VAE", "VAE"),
    "cure.col.better": ("better is", "越……越好"),
    "cure.col.verdict": ("verdict", "结论"),
    "cure.better.lower": ("lower", "越低"),
    "cure.better.higher": ("higher", "越高"),
    "cure.lose.lower": ("Here the VAE does not do better (lower is better)",
                        "这里 VAE 没有做得更好（越低越好）"),
    "cure.lose.higher": ("Here the VAE does not do better (higher is better)",
                         "这里 VAE 没有做得更好（越高越好）"),
    "cure.verdict.tie": ("About the same for both", "两者差不多"),
    "cure.verdict.n/a": ("Cannot compare (no classifier, or a number is missing)",
                         "无法比较（没有分类器，或者缺少数字）"),
    "cure.diag.collapse": (
        "**Posterior collapse.** The KL fine won: the marks all sit near the centre, or a patch "
        "costs almost no KL, so the code says almost nothing about the picture. D.Coder paints "
        "nearly the same blur everywhere.",
        "**后验坍塌。**KL 罚款占了上风：所有标记都挤在中心附近，或者一个斑块几乎不花 KL，"
        "所以编码几乎不包含图像的信息。D.Coder 在哪里都画出差不多一样的模糊一团。"),
    "cure.diag.balanced": (
        "**Balanced.** The patches are neither points nor one big blur: they reach past the "
        "neighbouring marks, or the wall stays close to N(0, I) with few gaps.",
        "**平衡。**斑块既不是一个个点，也不是一大团模糊：它们能覆盖到相邻的标记，"
        "或者整面墙接近 N(0, I)、空隙很少。"),
    "cure.diag.autoencoder_like": (
        "**Like the autoencoder again.** The repainting error outweighs the KL fine: the "
        "patches shrink towards points (σ under two mark spacings) and the wall drifts "
        "away from N(0, I) or its gaps come back.",
        "**又像自编码器了。**重画误差压过了 KL 罚款：斑块缩成了点（σ 不到两个标记间距），"
        "整面墙偏离 N(0, I)，或者空隙又回来了。"),
    "cure.diag.numbers": (
        "The numbers: marks spread {std} per axis; KL per test image {kl} nats; mean patch "
        "σ = {ratio} mark spacings; the wall's distance from N(0, I) (KL of its fitted "
        "Gaussian) {fit} nats; {gap} of its own random samples land in a gap.",
        "数字：标记在每个坐标轴上的离散度 {std}；每张测试图的 KL 为 {kl} 纳特；斑块的平均 σ 为 "
        "{ratio} 个标记间距；墙与 N(0, I) 的距离（拟合高斯分布的 KL）为 {fit} 纳特；"
        "{gap} 的自身随机样本落在空隙里。"),
    "cure.part.pick": ("Compare them further", "继续比较"),
    "cure.part.samples": ("① Random samples", "① 随机样本"),
    "cure.part.grid": ("② The {g} × {g} grids", "② {g} × {g} 网格"),
    "cure.part.cont": ("③ Continuity", "③ 连续性"),
    "cure.part.parts": ("④ The VAE's two fines", "④ VAE 的两笔罚款"),
    "cure.h.samples": ("Random samples, each drawn its own way", "随机样本，各按各的方式采样"),
    "cure.samples.text": (
        "The autoencoder is sampled as the book does: uniform points in the box of its marks. "
        "The VAE is sampled the way its KL term prepares it for: points from the standard "
        "normal N(0, I).",
        "自编码器按书中的做法采样：在它的标记所在的矩形里均匀取点。VAE 则按 KL 项为它准备好的方式"
        "采样：从标准正态分布 N(0, I) 里取点。"),
    "cure.plot.ae.samples.title": ("Autoencoder: {n} points from the box of its marks",
                                   "自编码器：从标记所在矩形中取 {n} 个点"),
    "cure.plot.vae.samples.title": ("VAE: {n} points from N(0, I)",
                                    "VAE：从 N(0, I) 中取 {n} 个点"),
    "cure.h.grid": ("The whole wall painted: two {g} × {g} grids",
                    "整面墙画出来：两个 {g} × {g} 网格"),
    "cure.grid.text": (
        "The autoencoder's grid spans the box of its marks; the VAE's spans the standard "
        "normal's quantiles from 1% to 99% on each axis, as in the book's VAE analysis "
        "notebook.",
        "自编码器的网格覆盖它的标记所在的矩形；VAE 的网格在每个坐标轴上覆盖标准正态分布 1% 到 99% "
        "的分位数，和书中 VAE 分析笔记本的做法一样。"),
    "cure.plot.ae.manifold.title": ("Autoencoder: the box of its marks",
                                    "自编码器：标记所在的矩形"),
    "cure.plot.vae.manifold.title": ("VAE: the normal's quantiles 1% to 99%",
                                     "VAE：正态分布 1% 到 99% 的分位数"),
    "cure.h.cont": ("Continuity: from a test {a} to a test {b}",
                    "连续性：从一个测试的 {a} 走到一个测试的 {b}"),
    "cure.cont.text": (
        "The straight line between the marks of the same two test images on each wall, in 21 "
        "steps: how much the picture changes at each step. Both charts share one scale.",
        "在每面墙上，沿着同样两张测试图的标记之间的直线走 21 步：每一步图像变化多少。两幅图的纵轴"
        "刻度相同。"),
    "cure.cont.x_title": ("position on the line (0 = the first test {a}, 1 = the first test {b})",
                          "在线段上的位置（0 = 第一张测试 {a}，1 = 第一张测试 {b}）"),
    "cure.plot.continuity_profile.title": ("{a} → {b}", "{a} → {b}"),
    "cure.plot.continuity_profile.subtitle": ("biggest jump: pictures {i} and {j}, MSE {jump}",
                                              "最大突变：第 {i} 和第 {j} 张图，均方误差 {jump}"),
    "cure.plot.continuity_profile.flat": ("no jump (MSE {jump} at most)",
                                          "没有突变（均方误差最多 {jump}）"),
    "cure.plot.continuity_profile.still": ("no jump: next to no change (MSE {jump} at most)",
                                           "没有突变：几乎没有变化（均方误差最多 {jump}）"),
    "cure.h.parts": ("The VAE's two fines over training", "训练中 VAE 的两笔罚款"),
    "cure.parts.text": (
        "The VAE's loss per image is r_loss_factor × the repainting error (MSE) plus the KL "
        "fine. The two parts pull against each other: the KL term wants every patch to be "
        "N(0, I), the repainting error wants patches small and apart.",
        "VAE 每张图的损失是 r_loss_factor × 重画误差（均方误差）再加上 KL 罚款。这两部分相互拉扯："
        "KL 项希望每个斑块都是 N(0, I)，重画误差希望斑块又小又彼此分开。"),
    "cure.parts.none": ("This VAE's file has no loss parts in its history.",
                        "这个 VAE 的文件在训练记录里没有损失的分项。"),
    "cure.h.live": ("Try it: the r_loss_factor slider", "动手试试：r_loss_factor 滑块"),
    "cure.live.text": (
        "How big is the fine? The factor weighs the repainting error against the KL term. A "
        "small factor lets the KL term win: every patch sits at the centre, every picture is "
        "the same blur (posterior collapse). A large one makes the fine small: the "
        "patches shrink towards points and, trained long enough, the autoencoder's gaps come "
        "back. Train the book's VAE "
        "here and see; the page says what happened from the numbers, not from the slider.",
        "罚款该多重？这个系数在重画误差和 KL 项之间权衡。系数小，KL 项就占上风："
        "每个斑块都挤在中心，每幅画都是同样的模糊一团（后验坍塌）。系数大，罚款就微不足道："
        "斑块缩向一个个点，训练得足够久，自编码器的空隙又会回来。在这里训练书中的 VAE 看看；"
        "本页根据数字而不是滑块的位置说明发生了什么。"),
    "cure.factor": ("r_loss_factor (log scale; the book: 1,000)",
                    "r_loss_factor（对数刻度；书中为 1,000）"),
    "cure.factor.help": ("The VAE's loss per image is this × MSE + KL.",
                         "VAE 每张图的损失是这个数 × 均方误差 + KL。"),
    "cure.live.plan": (
        "The book's VAE, trained on the first {n:,} training images for {epochs} epochs "
        "({total:,} images in all; Adam {lr}, batch {bs}, r_loss_factor {factor}): a minute or "
        "two on a busy 2-core CPU, less on a faster one; the time it takes is shown as it runs.",
        "书中的 VAE，用前 {n:,} 张训练图训练 {epochs} 轮（共 {total:,} 张图；Adam {lr}，批大小 "
        "{bs}，r_loss_factor {factor}）：在繁忙的双核 CPU 上需要一两分钟，更快的机器上更短；"
        "训练时会显示实际用时。"),
    "cure.start": ("Train a VAE", "训练一个 VAE"),
    "cure.stop": ("Stop", "停止"),
    "cure.live.busy": ("This tab's run from the Training page is still training: stop it there "
                       "first, or wait until it ends.",
                       "这个标签页在“训练”页面启动的训练还在进行：请先在那里停止它，或者等它结束。"),
    "cure.live.none": ("No VAE trained on this page yet.", "这个页面上还没有训练过 VAE。"),
    "cure.live.idle": ("Starting...", "正在启动……"),
    "cure.live.queued": ("Waiting for a free training slot on the server...",
                         "正在等待服务器空出训练名额……"),
    "cure.live.running": ("Step {step:,} of {total:,} (epoch {epoch} of {epochs}), {sec} s",
                          "第 {step:,} / {total:,} 步（第 {epoch} / {epochs} 轮），{sec} 秒"),
    "cure.live.paused": ("Paused after step {step:,}", "在第 {step:,} 步后暂停"),
    "cure.live.done": ("Done: {epochs} epochs in {sec} s. This VAE is now the model in play "
                       "and the comparison above shows it.",
                       "完成：{epochs} 轮，用时 {sec} 秒。这个 VAE 现在是当前模型，上面的比较显示的"
                       "就是它。"),
    "cure.live.stopped": ("Stopped after step {step:,}", "在第 {step:,} 步后停止"),
    "cure.live.failed": ("The run failed: {error}", "训练失败：{error}"),
    "cure.live.numbers": ("Last step: reconstruction **{r}**, KL **{kl}** per image · "
                          "about {eta} s to go",
                          "最近一步：重建 **{r}**，KL **{kl}**（每张图）· 大约还要 {eta} 秒"),
    **{f"cure.row.{k}": name for k, (name, _) in _ROWS.items()},
    **{f"cure.win.{k}": win for k, (_, win) in _ROWS.items()},
}
