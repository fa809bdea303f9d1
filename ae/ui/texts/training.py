"""Texts of the training page: the recipe, the buttons, the live view, checkpoints in and out."""

TEXTS = {
    "training.title": ("Training: watch the brothers practise", "训练：看兄弟俩练习"),
    "training.intro": (
        "Training is the brothers' years of practice, in minutes. Each **step** takes a small "
        "batch of training images; N.Coder pins each one to the wall, D.Coder repaints it, and "
        "the refunds (the **loss**: the mean squared difference per pixel) tell both of them "
        "how to change a little. Press **Start** to train a **new** model with the sidebar's "
        "network and watch the loss fall, the marks spread over the wall, and the repaintings "
        "sharpen. The article trains on the first 1,000 training images for 200 epochs "
        "(200 passes over them).",
        "训练就是兄弟俩多年的练习，只不过压缩成了几分钟。每一**步**取一小批训练图像：N.Coder "
        "把每张图钉到墙上，D.Coder 把它重新画出来，退款（也就是**损失**：每个像素差值平方的平均）"
        "告诉两人各自该怎样稍作调整。按 **开始** 就会用侧边栏里的网络训练一个**新**模型，"
        "你可以看着损失下降、标记在墙上散开、重画的图越来越清晰。文章用前 1,000 张训练图训练 "
        "200 轮（epoch，即把这些图完整过 200 遍）。"),
    # -- the recipe --------------------------------------------------------------------------
    "training.settings.h": ("The recipe", "训练配方"),
    "training.lr": ("Learning rate", "学习率"),
    "training.lr.help": (
        "How big a change each step makes (Adam's step size). The article uses 0.0005. Too "
        "small: the loss falls slowly. Too large: the steps overshoot and the loss can jump "
        "or blow up.",
        "每一步调整的幅度（Adam 优化器的步长）。文章用 0.0005。太小，损失下降得很慢；"
        "太大，每一步都会冲过头，损失可能来回跳动，甚至爆掉。"),
    "training.batch": ("Batch size", "批大小"),
    "training.batch.help": (
        "How many images one step looks at before changing anything. The article uses 32. "
        "Larger batches give smoother but fewer steps per epoch.",
        "每一步在调整之前看多少张图。文章用 32。批越大，每步越平稳，但每轮的步数越少。"),
    "training.epochs": ("Epochs", "轮数"),
    "training.epochs.help": (
        "How many times the training images are gone through. The article: 200.",
        "把训练图完整过几遍。文章：200 轮。"),
    "training.seed": ("Seed", "随机种子"),
    "training.seed.help": (
        "Fixes the model's random starting weights and the order of the images: the same seed "
        "and settings start the same run.",
        "决定模型的随机初始权重和图像的打乱顺序：同样的种子和设置会得到同样的开局。"),
    "training.subset": ("Training images", "训练图像"),
    "training.subset.book": ("the book's first {n:,}", "书中的前 {n:,} 张"),
    "training.subset.all": ("all {all:,}", "全部 {all:,} 张"),
    "training.subset.custom": ("my own number", "自己定数量"),
    "training.subset.n": ("How many (the first N)", "用多少张（前 N 张）"),
    "training.subset.help": (
        "The article trains on the first 1,000 of MNIST's 60,000 training images, so that a "
        "laptop finishes quickly. More images: a better wall, slower epochs.",
        "文章只用 MNIST 60,000 张训练图中的前 1,000 张，这样笔记本电脑也能很快训练完。"
        "图越多，墙越好，但每一轮也越慢。"),
    "training.plan": (
        "A new {kind} with the sidebar's network ({params:,} parameters, z_dim {z}) will see "
        "{n:,} images of {data} × {epochs:,} epochs = {total:,} images, in {steps:,} steps "
        "of {bs}.",
        "将用侧边栏的网络新建一个{kind}（{params:,} 个参数，z_dim {z}），它会看 {data} 的 "
        "{n:,} 张图 × {epochs:,} 轮 = {total:,} 张图，分 {steps:,} 步完成，每步 {bs} 张。"),
    "training.plan.vae": (
        " Its loss per image: {f:,g} × {loss} + KL.",
        "它每张图的损失：{f:,g} × {loss} + KL。"),
    "training.plan.loss.mse": ("MSE", "MSE"),
    "training.plan.loss.bce": ("BCE (pixel mean)", "BCE（像素平均）"),
    "training.factor": ("r_loss_factor (weight of the reconstruction)",
                        "r_loss_factor（重建项的权重）"),
    "training.factor.help": (
        "The variational autoencoder's loss per image is r_loss_factor × MSE + KL: the KL term "
        "fines N.Coder for patches far from the centre or too small. The book uses 1,000. A "
        "small factor lets the KL term win (every patch near 0, every picture the same blur); "
        "a large one makes it an autoencoder again, gaps and all.",
        "变分自编码器每张图的损失是 r_loss_factor × MSE + KL：KL 项会因为区域离中心太远或太小而罚 "
        "N.Coder 的款。书中用 1,000。因子太小，KL 项占上风（所有区域都挤在 0 附近，每张画都是同样的"
        "一团模糊）；因子太大，它又变回自编码器，连同那些空隙。"),
    "training.config_error": (
        "The sidebar's network cannot be built, so there is nothing to train. Fix it in the "
        "sidebar first: {msg}",
        "侧边栏里的网络无法构建，所以没有东西可训练。请先在侧边栏修正：{msg}"),
    # -- the buttons ---------------------------------------------------------------------------
    "training.start": ("Start", "开始"),
    "training.start.help": (
        "Builds a new model from the sidebar's network and trains it. The model in play is "
        "not changed until the run ends. If another tab is training exactly these settings, "
        "this tab joins that run instead of training the same thing twice.",
        "用侧边栏的网络新建一个模型并训练它。训练结束前，当前模型保持不变。"
        "如果别的标签页正在用完全相同的设置训练，这个标签页会加入那次训练，而不是再训练一遍。"),
    "training.pause": ("Pause", "暂停"),
    "training.resume": ("Resume", "继续"),
    "training.stop": ("Stop", "停止"),
    "training.stop.help": (
        "Ends the run after the current step; what it learned so far becomes the model in "
        "play.", "在当前这一步之后结束训练；已经学到的东西会成为当前模型。"),
    "training.reset": ("Reset", "重置"),
    "training.pause.shared": (
        "Pause is off: {n} tabs share this run, and a pause would stop it for all of them.",
        "“暂停”不可用：{n} 个标签页共用这次训练，暂停会让它们全都停下。"),
    "training.stop.leave": (
        "Stop takes only this tab out of the shared run: it goes on for the other {n}.",
        "“停止”只让这个标签页退出共用的训练：其余 {n} 个标签页的训练照常进行。"),
    "training.left": (
        "This tab left the shared run; it goes on for the other {n}. Start trains again (or "
        "joins a run with your settings, if one is training).",
        "这个标签页已退出共用的训练；其余 {n} 个标签页的训练照常进行。按“开始”会重新训练"
        "（如果有设置相同的训练正在进行，就加入它）。"),
    "training.shared": (
        "This run is shared by {n} tabs with the same settings: it trains once, and each tab "
        "gets its own copy of the model when it ends.",
        "设置相同的 {n} 个标签页共用这次训练：只训练一次，结束时每个标签页都得到自己的一份模型。"),
    "training.reset.help": (
        "Throws this run away (a running one is stopped and not kept) so you can start "
        "afresh. A finished run's model stays in play.",
        "丢弃这次训练（正在进行的会被停止且不保留），以便重新开始。已完成的训练得到的模型仍是当前模型。"),
    # -- the run -------------------------------------------------------------------------------
    "training.live.h": ("Watch it learn", "看它学习"),
    "training.idle": (
        "No run yet. Choose a recipe above and press **Start**. The run goes on while you "
        "visit other pages; come back here to watch it.",
        "还没有开始训练。在上面选好配方，然后按 **开始**。"
        "你去看别的页面时训练会继续，回到这里就能接着看。"),
    "training.idle.history": ("Meanwhile, how the model in play ({model}) was trained:",
                              "先看看当前模型（{model}）当初是怎样训练的："),
    "training.queued": (
        "The server is busy: {used} of {max} training slots are taken by other runs. Yours "
        "waits in the queue and starts as soon as one is free.",
        "服务器正忙：{max} 个训练名额中有 {used} 个被别的训练占着。"
        "你的训练在排队，一有空位就会开始。"),
    "training.running": (
        "Training. You can switch pages: the run goes on, and this page picks it up when you "
        "come back. When it ends, the new model becomes the model in play.",
        "正在训练。你可以切换到别的页面：训练会继续，回来时这里接着显示。训练结束后，新模型会成为当前模型。"),
    "training.paused": ("Paused after step {step:,}. Resume goes on from there.",
                        "已在第 {step:,} 步后暂停。按“继续”会从这里接着训练。"),
    "training.done": (
        "Done: {epochs} epochs in {sec:,.0f} s. The trained model is now the model in play: "
        "the other pages show it, and you can download it below.",
        "完成：{epochs} 轮，用时 {sec:,.0f} 秒。训练好的模型现在是当前模型：别的页面都会显示它，"
        "你也可以在下面下载它。"),
    "training.stopped": (
        "Stopped after {step:,} steps ({epoch} full epochs). What the model learned so far is "
        "now the model in play.",
        "在第 {step:,} 步后停止（完整训练了 {epoch} 轮）。"
        "模型到目前为止学到的东西已成为当前模型。"),
    "training.stopped_empty": ("Stopped before the first step: nothing was trained.",
                               "在第一步之前就停止了：什么也没有训练。"),
    "training.diverged": (
        "Training blew up: the loss became NaN or infinite, so the run stopped. This almost "
        "always means the learning rate ({lr}) is too large: each step overshoots, the next "
        "overshoots further, and the numbers grow until they no longer fit. Try a smaller "
        "one, e.g. {lr10}, and press Start again.",
        "训练爆掉了：损失变成了 NaN 或无穷大，所以训练停止。这几乎总是说明学习率（{lr}）太大："
        "每一步都冲过头，下一步冲得更远，数值越滚越大，直到无法表示。请试一个更小的学习率，例如 "
        "{lr10}，再按“开始”。"),
    "training.diverged.kept": (
        "The model kept the weights from just before the bad step (step {step:,}); they are "
        "in play now.", "模型保留了出问题之前那一步（第 {step:,} 步）的权重，它们现在是当前模型。"),
    "training.diverged.none": ("It blew up at the very first step, so there is nothing to keep.",
                               "第一步就爆掉了，所以没有可以保留的东西。"),
    "training.diverged.detail": ("What the trainer reported", "训练器的原始报告"),
    "training.failed": ("The run failed with an error. This is a bug in the app, not your "
                        "settings: {msg}",
                        "训练因错误而失败。这是程序的问题，不是你的设置有误：{msg}"),
    "training.progress": ("step {step:,} of {total:,} · epoch {epoch} of {epochs}",
                          "第 {step:,} / {total:,} 步 · 第 {epoch} / {epochs} 轮"),
    "training.numbers": (
        "Loss **{loss}** · **{speed}** images/s · **{eta}** left · trained for **{elapsed}**",
        "损失 **{loss}** · 每秒 **{speed}** 张图 · 还剩 **{eta}** · 已训练 **{elapsed}**"),
    "training.numbers.parts": (
        "of which reconstruction (r_loss_factor × MSE) **{r}** + KL **{kl}**",
        "其中重建项（r_loss_factor × MSE）**{r}** + KL **{kl}**"),
    "training.numbers.parts.help": (
        "The variational autoencoder's two loss parts for the last batch, per image: how badly "
        "D.Coder repainted, and how far N.Coder's patches are from N(0, I).",
        "变分自编码器最近一批的两部分损失（每张图）：D.Coder 重画得有多差，以及 N.Coder 的区域离 "
        "N(0, I) 有多远。"),
    "training.numbers.help": (
        "Loss: the mean squared error per pixel of the last batch (the refunds). Images/s: "
        "training images per second, averaged over the run (pauses and queueing excluded, "
        "this live view included).",
        "损失：最近一批图像每个像素的均方误差（也就是退款）。每秒图像数：按整次训练平均的每秒训练图像数"
        "（不算暂停和排队，包括这个实时画面的开销）。"),
    "training.live.captions": (
        "Right: the wall forming, the marks of {p} test images, recorded every few seconds; at "
        "first they sit in one blob, then the digits pull apart. Below: the first {n} test "
        "images (the model never trains on them) and how D.Coder repaints them now.",
        "右图：墙正在成形，{p} 张测试图像的标记，每隔几秒记录一次；一开始它们挤成一团，"
        "随后各个数字渐渐分开。下图：前 {n} 张测试图像（模型从不用它们训练），"
        "以及 D.Coder 现在把它们画成什么样。"),
    "training.device": ("Training on {device} in {precision}.",
                        "训练设备：{device}，精度：{precision}。"),
    "training.label": ("{n:,} images, {epochs} epochs, lr {lr}",
                       "{n:,} 张图，{epochs} 轮，学习率 {lr}"),
    "training.how.h": ("What happens in one step", "一步训练里发生了什么"),
    "training.how": (
        "1. Take the next batch of images (shuffled anew every epoch) and scale the pixels "
        "to [0, 1].\n"
        "2. **Forward**: the encoder turns each image into a point on the wall, the decoder "
        "paints an image from that point.\n"
        "3. **Loss**: the mean squared difference between painting and original, per image, "
        "averaged over the batch (the article's `r_loss`).\n"
        "4. **Backward**: for every weight, how the loss would change if it moved a little "
        "(the gradient).\n"
        "5. **Adam** moves every weight a little against its gradient; the learning rate sets "
        "how far.\n\n"
        "If the loss ever becomes NaN or infinite, the step is not applied and the run "
        "stops, so the model keeps its last good weights.",
        "1. 取下一批图像（每一轮重新打乱），把像素缩放到 [0, 1]。\n"
        "2. **前向**：编码器把每张图变成墙上的一个点，解码器根据这个点画出一张图。\n"
        "3. **损失**：画出的图和原图之间每个像素差值平方的平均，先按图算，再对这一批取平均"
        "（即文章中的 `r_loss`）。\n"
        "4. **反向**：对每个权重算出它稍微变动时损失会怎样变化（梯度）。\n"
        "5. **Adam** 让每个权重朝梯度的反方向挪一点；挪多远由学习率决定。\n\n"
        "一旦损失变成 NaN 或无穷大，这一步不会被执行，训练随即停止，"
        "所以模型保留最后一组正常的权重。"),
    "training.code": ("Show the code: one training step (ae.train.Trainer._step)",
                      "查看代码：一步训练（ae.train.Trainer._step）"),
    # -- checkpoints -----------------------------------------------------------------------------
    "training.ckpt.h": ("Keep your model, or bring one", "保存你的模型，或者带一个来"),
    "training.ckpt.intro": (
        "A checkpoint is one file with the network's settings, its weights, the loss history "
        "and the wall's frames over time. Download the model trained here to keep it, or "
        "upload one made here or with `python -m ae train` to look at it on every page.",
        "检查点（checkpoint）是一个文件，里面有网络的设置、权重、损失曲线和墙在训练过程中的各帧。"
        "下载在这里训练的模型可以把它留下来；上传一个在这里或用 `python -m ae train` "
        "训练的模型，就能在每个页面查看它。"),
    "training.download": ("Download the trained model (.pt)", "下载训练好的模型（.pt 文件）"),
    "training.download.none": ("No model trained here yet: when a run ends you can download it "
                               "here.", "还没有在这里训练过模型：训练结束后可以在这里下载。"),
    "training.upload": ("Upload a checkpoint (.pt, at most {mb} MB)",
                        "上传检查点（.pt 文件，最大 {mb} MB）"),
    "training.upload.help": (
        "At most {mb} MB: the app's own limit (ae.model.checkpoint.MAX_BYTES), also set as the "
        "server's upload limit (server.maxUploadSize in .streamlit/config.toml). The file is "
        "read as plain data only and checked before it is used: a file from a stranger "
        "cannot run code here.",
        "最大 {mb} MB：这是程序自己的上限（ae.model.checkpoint.MAX_BYTES），"
        "也设成了服务器的上传上限（.streamlit/config.toml 中的 server.maxUploadSize）。"
        "文件只按纯数据读取，使用前会先检查："
        "陌生人的文件无法在这里运行代码。"),
    "training.upload.ok": (
        "Loaded {name}: it is now the model in play ({params:,} parameters, trained on "
        "{dataset}).",
        "已加载 {name}：它现在是当前模型（{params:,} 个参数，训练数据：{dataset}）。"),
    "training.upload.error": ("This file can't be used: {msg}", "这个文件无法使用：{msg}"),
    # -- figure texts (keys of ae.plots.TEXTS) -----------------------------------------------------
    "training.plot.loss.title": ("The loss, step by step", "损失，一步一步"),
    "training.plot.loss.x_title": ("training step", "训练步数"),
    "training.plot.loss.x_title_epochs": ("epoch", "轮"),
    "training.plot.loss.y_title": ("loss (MSE per pixel)", "损失（每像素 MSE）"),
    "training.plot.loss.step": ("loss per step", "每步损失"),
    "training.plot.loss.smoothed": ("smoothed", "平滑后"),
    "training.plot.loss.train": ("train loss (epoch)", "训练损失（每轮）"),
    "training.plot.loss.test": ("test loss (epoch)", "测试损失（每轮）"),
    "training.plot.loss.epoch": ("epoch", "轮"),
    "training.plot.loss_vae.title": ("The loss, step by step (r_loss_factor × MSE + KL)",
                                     "损失，一步一步（r_loss_factor × MSE + KL）"),
    "training.plot.loss_vae.y_title": ("loss per image", "每张图的损失"),
    "training.plot.parts.title": ("The loss's two parts", "损失的两个部分"),
    "training.plot.parts.x_title": ("training step", "训练步数"),
    "training.plot.parts.x_title_epochs": ("epoch", "轮"),
    "training.plot.parts.y_title": ("loss per image", "每张图的损失"),
    "training.plot.parts.r_loss": ("reconstruction (r_loss_factor × MSE)",
                                   "重建（r_loss_factor × MSE）"),
    "training.plot.parts.kl_loss": ("KL divergence from N(0, I)", "与 N(0, I) 的 KL 散度"),
    "training.plot.parts.train": ("train, epoch", "训练，每轮"),
    "training.plot.parts.test": ("test, epoch (code at mu)", "测试，每轮（编码取 mu）"),
    "training.plot.parts.epoch": ("epoch", "轮"),
    "training.plot.wall_frame.title": ("The wall at step {step:,} (epoch {epoch})",
                                       "第 {step:,} 步时的墙（第 {epoch} 轮）"),
    "training.plot.wall_frame.title_no_step": ("The wall, frame {frame} of {frames}",
                                               "墙，第 {frame} / {frames} 帧"),
    "training.plot.wall_frame.pca": ("PCA 1/2", "PCA 1/2"),
    "training.plot.latent.digit": ("digit", "数字"),
    "training.plot.latent.index": ("test image", "测试图像"),
    "training.plot.reconstructions.title": ("Five test images and their repaintings, now",
                                            "五张测试图像和它们此刻的重画"),
    "training.plot.reconstructions.original": ("original", "原图"),
    "training.plot.reconstructions.code": ("mark", "标记"),
    "training.plot.reconstructions.reconstruction": ("repainted", "重画"),
    "training.plot.reconstructions.error": ("error (MSE)", "误差（MSE）"),
    "training.plot.reconstructions.hover": (
        "test image {index} · digit {label}<br>mark {code}<br>MSE {mse:.4f}",
        "测试图像 {index} · 数字 {label}<br>标记 {code}<br>MSE {mse:.4f}"),
}
